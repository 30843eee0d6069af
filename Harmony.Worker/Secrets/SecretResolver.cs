namespace Harmony.Worker.Secrets;

/// <summary>Turns a call's secret references into values: OpenBao paths are read, anything else is the value itself.</summary>
internal sealed class SecretResolver(OpenBaoClient openBao)
{
    /// <summary>Resolves the references of the given names; each OpenBao secret is read once per call.</summary>
    public async Task<ResolvedSecrets> ResolveAsync(
        IReadOnlyDictionary<string, string> references, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var cache = new Dictionary<SecretReference, string>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (!references.TryGetValue(name, out var reference))
            {
                throw new SecretUnavailableException($"The capability needs secret '{name}', but no reference of that name was given.");
            }

            if (!SecretReference.IsStoreReference(reference))
            {
                values[name] = reference;
                continue;
            }

            SecretReference parsed;
            try
            {
                parsed = SecretReference.Parse(reference);
            }
            catch (FormatException e)
            {
                throw new SecretUnavailableException(e.Message, e);
            }

            if (!cache.TryGetValue(parsed, out var value))
            {
                value = await openBao.ReadAsync(parsed, cancellationToken).ConfigureAwait(false);
                cache[parsed] = value;
            }

            values[name] = value;
        }

        return new ResolvedSecrets(values);
    }
}
