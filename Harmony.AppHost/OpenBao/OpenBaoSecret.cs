namespace Harmony.AppHost.OpenBao;

/// <summary>A secret to write into KV v2: its path under the mount, and its fields (the worker reads <c>value</c>).</summary>
internal sealed record OpenBaoSecret(string Path, IReadOnlyDictionary<string, ReferenceExpression> Data);
