using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>Log levels a service ships with, below every configuration source an operator controls.</summary>
public static class LogLevelDefaults
{
    /// <summary>
    /// Sets <c>Logging:LogLevel:&lt;category&gt;</c> for each entry as the lowest-precedence configuration source, so
    /// <c>Logging__LogLevel__*</c>, <c>appsettings.json</c> and command-line switches still decide.
    /// </summary>
    public static TBuilder AddLogLevelDefaults<TBuilder>(this TBuilder builder, params IEnumerable<(string Category, LogLevel Level)> levels)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var data = levels.ToDictionary(l => $"Logging:LogLevel:{l.Category}", l => (string?)l.Level.ToString(), StringComparer.Ordinal);
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = data });
        return builder;
    }
}
