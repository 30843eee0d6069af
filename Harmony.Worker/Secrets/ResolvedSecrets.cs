using System.Text.Encodings.Web;
using System.Text.Json;

namespace Harmony.Worker.Secrets;

/// <summary>Secret values by name for one capability run, and the means to keep them out of any text leaving the worker.</summary>
internal sealed class ResolvedSecrets
{
    public const string Redacted = "[REDACTED]";

    private readonly Dictionary<string, string> _values;
    private readonly string[] _forms;

    public ResolvedSecrets(IReadOnlyDictionary<string, string> values)
    {
        _values = new Dictionary<string, string>(values, StringComparer.Ordinal);

        // A value may come back JSON-escaped (in a JSON document or an engine error), so both spellings are scrubbed;
        // longer forms first, so a secret that contains another is removed whole.
        _forms = [.. _values.Values
            .Where(v => v.Length > 0)
            .SelectMany(v => new[]
            {
                v,
                JsonEncodedText.Encode(v, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(),
                JsonEncodedText.Encode(v).ToString(),
            })
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(v => v.Length)];
    }

    public static ResolvedSecrets None { get; } = new(new Dictionary<string, string>());

    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>Replaces every secret value in a text with <see cref="Redacted"/>.</summary>
    public string Scrub(string text)
    {
        foreach (var form in _forms)
        {
            text = text.Replace(form, Redacted, StringComparison.Ordinal);
        }

        return text;
    }
}
