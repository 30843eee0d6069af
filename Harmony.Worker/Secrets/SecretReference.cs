namespace Harmony.Worker.Secrets;

/// <summary>
/// A secret reference as callers write it: <c>/github/release-bot#token</c> names key <c>token</c> of the OpenBao
/// KV v2 secret at <c>github/release-bot</c>; without <c>#key</c> the key <c>value</c> is read. Anything that does
/// not start with <c>/</c> is the secret itself (a plaintext secret).
/// </summary>
internal sealed record SecretReference(string Path, string Key)
{
    public const string DefaultKey = "value";

    /// <summary>Whether a reference points into OpenBao; plaintext secrets must never be logged, paths may be.</summary>
    public static bool IsStoreReference(string reference) => reference.StartsWith('/');

    public static SecretReference Parse(string reference)
    {
        if (!IsStoreReference(reference))
        {
            throw new ArgumentException("Only references that start with '/' point into OpenBao.", nameof(reference));
        }

        var hash = reference.IndexOf('#', StringComparison.Ordinal);
        var path = (hash < 0 ? reference : reference[..hash]).Trim('/');
        var key = hash < 0 ? DefaultKey : reference[(hash + 1)..];
        if (path.Length == 0 || key.Length == 0 || path.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw new FormatException($"Secret reference '{reference}' is not of the form /path/to/secret or /path/to/secret#key.");
        }

        return new SecretReference(path, key);
    }

    public override string ToString() => Key == DefaultKey ? $"/{Path}" : $"/{Path}#{Key}";
}
