using Harmony.Core.Contexts;

namespace Harmony.Core.Envelopes;

/// <summary>The verified identity fields of a signed call envelope.</summary>
/// <param name="InitiatorId">Who calls; never blank.</param>
/// <param name="Roles">The caller's roles.</param>
/// <param name="TokenRef">A reference to the caller's token, if given.</param>
/// <param name="AppId">The application, if given.</param>
/// <param name="Environment">The environment, if given.</param>
/// <param name="CostCenter">The cost center, if given.</param>
/// <param name="DataClassification">The data classification, if given.</param>
/// <param name="TraceId">The trace id the caller wants the call to carry, if given.</param>
public sealed record EnvelopePayload(
    string InitiatorId,
    IReadOnlyList<string> Roles,
    string? TokenRef,
    string? AppId,
    string? Environment,
    string? CostCenter,
    DataClassification? DataClassification,
    string? TraceId);
