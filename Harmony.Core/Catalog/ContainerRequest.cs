using System.Text.Json;
using Harmony.Core.Contexts;

namespace Harmony.Core.Catalog;

/// <summary>What a capability's container factory builds its <see cref="ContainerSpec"/> from.</summary>
/// <param name="Context">Who runs the capability and why.</param>
/// <param name="Config">The capability's configuration, validated; null when none was given.</param>
/// <param name="SecretNames">The names of the secrets the call provides (their values stay with the worker).</param>
/// <param name="Input">The capability's input, validated against its input schema.</param>
public sealed record ContainerRequest(
    GoldenContext Context,
    JsonElement? Config,
    IReadOnlySet<string> SecretNames,
    JsonElement Input);
