var builder = DistributedApplication.CreateBuilder(args);

var mcp = builder.AddProject<Projects.Harmony_Mcp>("mcp");

var worker = builder.AddProject<Projects.Harmony_Worker>("worker");

builder.Build().Run();
