using Harmony.Core.Configuration;

try
{
    var builder = WebApplication.CreateBuilder(args);

    // Probes hit /health and /alive every few seconds; a line per probe would bury the worker's own logs.
    builder.AddLogLevelDefaults(("Microsoft.AspNetCore", LogLevel.Warning));

    builder.AddServiceDefaults();

    builder.AddHarmonyWorker();

    var app = builder.Build();

    app.MapDefaultEndpoints();

    await app.RunAsync();
    return 0;
}
catch (InvalidConfigurationException invalid)
{
    // A plain sentence on stderr, not a stack trace: the operator has a setting to fix, not a bug to report.
    await Console.Error.WriteLineAsync(invalid.Message);
    return 2;
}
