using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Testing;

namespace Harmony.Tests.Worker;

/// <summary>Everything a logger was given, as one text: messages, structured values, scopes and exceptions.</summary>
internal static class LogText
{
    public static string Of(FakeLogger logger)
    {
        var text = new StringBuilder();
        foreach (var record in logger.Collector.GetSnapshot())
        {
            text.AppendLine(record.Message);
            foreach (var (key, value) in record.StructuredState ?? [])
            {
                text.Append(key).Append('=').AppendLine(value);
            }

            foreach (var scope in record.Scopes)
            {
                text.AppendLine(scope is null ? string.Empty : JsonSerializer.Serialize(scope, scope.GetType()));
            }

            text.AppendLine(record.Exception?.ToString());
        }

        return text.ToString();
    }
}
