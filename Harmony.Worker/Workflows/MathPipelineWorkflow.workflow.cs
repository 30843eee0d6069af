using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Harmony.Core.Catalog;
using Harmony.Core.Catalog.BuiltIn;
using Temporalio.Workflows;

namespace Harmony.Worker.Workflows;

/// <summary><c>workflows.math_pipeline</c>: (a + b) + c through two <c>golden.math_add</c> calls, echoed by <c>golden.echo</c>.</summary>
[Workflow(MathPipelineBlueprint.WorkflowType)]
public sealed class MathPipelineWorkflow : BlueprintWorkflow
{
    [WorkflowRun]
    public async Task<MathPipelineOutput> RunAsync(MathPipelineInput input)
    {
        RequireSecurityContext();
        input = RequireArgument(input);
        var steps = new List<(string Capability, JsonElement Input, JsonElement Output)>();

        async Task<JsonElement> StepAsync(string capabilityId, object stepInput)
        {
            var element = JsonSerializer.SerializeToElement(stepInput);
            var output = await ExecuteByIdAsync(capabilityId, element);
            steps.Add((capabilityId, element, output));
            return output;
        }

        const string add = BuiltInCatalog.CapabilityIds.MathAdd;
        const string echo = BuiltInCatalog.CapabilityIds.Echo;
        var sum1 = OutputProperty(await StepAsync(add, new { a = input.A, b = input.B }), add, "sum", JsonValueKind.Number).GetDouble();
        var sum2 = OutputProperty(await StepAsync(add, new { a = sum1, b = input.C }), add, "sum", JsonValueKind.Number).GetDouble();
        var y = OutputProperty(await StepAsync(echo, new { x = sum2 }), echo, "y", JsonValueKind.Number).GetDouble();

        var table = new StringBuilder("| step | capability | input | output |\n| --- | --- | --- | --- |\n");
        foreach (var (step, index) in steps.Select((step, index) => (step, index + 1)))
        {
            table.Append(
                CultureInfo.InvariantCulture,
                $"| {index} | {step.Capability} | `{step.Input.GetRawText()}` | `{step.Output.GetRawText()}` |\n");
        }

        return new MathPipelineOutput(y, table.ToString());
    }
}

/// <summary>The pipeline's argument, as the tool was called.</summary>
public sealed record MathPipelineInput(
    [property: JsonPropertyName("a")] double A,
    [property: JsonPropertyName("b")] double B,
    [property: JsonPropertyName("c")] double C);

/// <summary>The pipeline's result: <c>y</c> = (a + b) + c, and every step as a Markdown table.</summary>
public sealed record MathPipelineOutput(
    [property: JsonPropertyName("y")] double Y,
    [property: JsonPropertyName("table_markdown")] string TableMarkdown);
