var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

builder.AddHarmonyWorker();

var app = builder.Build();

app.MapDefaultEndpoints();

await app.RunAsync();
