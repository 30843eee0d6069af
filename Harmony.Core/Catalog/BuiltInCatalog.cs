using Harmony.Core.Catalog.BuiltIn;

namespace Harmony.Core.Catalog;

/// <summary>The capabilities and blueprints that ship with Harmony.</summary>
public static class BuiltInCatalog
{
    private static readonly Lazy<HarmonyCatalog> Instance = new(Create);

    /// <summary>The shared, immutable built-in catalog.</summary>
    public static HarmonyCatalog Default => Instance.Value;

    /// <summary>Ids of the built-in capabilities, for code that calls them by name.</summary>
    public static class CapabilityIds
    {
        /// <summary><c>golden.echo</c>.</summary>
        public const string Echo = EchoCapability.Id;

        /// <summary><c>golden.math_add</c>.</summary>
        public const string MathAdd = MathAddCapability.Id;

        /// <summary><c>golden.http_probe</c>.</summary>
        public const string HttpProbe = HttpProbeCapability.Id;

        /// <summary><c>golden.github_request</c>.</summary>
        public const string GitHubRequest = GitHubRequestCapability.Id;

        /// <summary><c>golden.kubectl_apply</c>.</summary>
        public const string KubectlApply = KubectlApplyCapability.Id;

        /// <summary><c>golden.postgres_query</c>.</summary>
        public const string PostgresQuery = PostgresQueryCapability.Id;
    }

    private static HarmonyCatalog Create() => new(
        [
            EchoCapability.Create(),
            MathAddCapability.Create(),
            HttpProbeCapability.Create(),
            GitHubRequestCapability.Create(),
            KubectlApplyCapability.Create(),
            PostgresQueryCapability.Create(),
        ],
        [
            MathPipelineBlueprint.Create(),
            VerifiedReleaseBlueprint.Create(),
        ]);
}
