var builder = WebApplication.CreateBuilder(args);

// Probes hit /health and /alive every few seconds; a line per probe would bury the worker's own logs.
builder.AddLogLevelDefaults(("Microsoft.AspNetCore", LogLevel.Warning));

builder.AddServiceDefaults();

builder.AddHarmonyWorker();

var app = builder.Build();

app.MapDefaultEndpoints();

await app.RunAsync();
