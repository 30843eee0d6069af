namespace Harmony.Core.Workflows;

/// <summary>Application failure types that workflows and activities raise; the ones marked so are never retried.</summary>
public static class HarmonyFailureTypes
{
    /// <summary>The workflow memo lacks <c>golden.securityContext</c> or <c>golden.context</c>. Not retried.</summary>
    public const string ContextMissing = "CONTEXT_MISSING";

    /// <summary>The worker runs without <c>ENABLE_DAGGER_E2E=1</c>, so it runs no containers. Not retried.</summary>
    public const string DaggerE2EDisabled = "DAGGER_E2E_DISABLED";

    /// <summary>The capability id is not in the catalog. Not retried.</summary>
    public const string UnknownCapability = "UNKNOWN_CAPABILITY";

    /// <summary>Input, config, secrets or output do not match the capability's schemas. Not retried.</summary>
    public const string ValidationFailed = "VALIDATION_FAILED";

    /// <summary>A secret reference could not be resolved.</summary>
    public const string SecretUnavailable = "SECRET_UNAVAILABLE";

    /// <summary>The container ran and exited with a non-zero code.</summary>
    public const string ContainerFailed = "CONTAINER_FAILED";

    /// <summary>The Dagger engine could not be reached or refused the query.</summary>
    public const string DaggerUnavailable = "DAGGER_UNAVAILABLE";

    /// <summary>The failure types that retrying cannot fix.</summary>
    public static IReadOnlyList<string> NonRetryable { get; } =
        [ContextMissing, DaggerE2EDisabled, UnknownCapability, ValidationFailed];

    /// <summary>The message of a workflow started without a security context.</summary>
    public const string SecurityContextMissingMessage = "SecurityContext not set in workflow memo";

    /// <summary>The message of a capability run without a golden context.</summary>
    public const string GoldenContextMissingMessage = "GoldenContext not set in workflow memo";
}
