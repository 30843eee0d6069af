using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Common;
using Temporalio.Converters;

namespace Harmony.Tests.AppHost;

/// <summary>The end-to-end leak check reads payloads, which a history's JSON holds only as base64.</summary>
public sealed class WorkflowHistoryTextTests
{
    [Fact]
    public void Readable_SecretInWorkflowInput_Found()
    {
        var input = DataConverter.Default.PayloadConverter.ToPayload(new
        {
            capId = "golden.postgres_query",
            secretRefs = new { connectionString = "/postgres/demo" },
            leaked = "s3cr3t-value",
        });
        var started = new HistoryEvent
        {
            EventId = 1,
            EventType = EventType.WorkflowExecutionStarted,
            WorkflowExecutionStartedEventAttributes = new() { Input = new Payloads { Payloads_ = { input } } },
        };
        var history = new WorkflowHistory("golden.postgres_query-1", [started]);

        var text = WorkflowHistoryText.Readable(history);

        Assert.DoesNotContain("s3cr3t-value", history.ToJson(), StringComparison.Ordinal);
        Assert.Contains("s3cr3t-value", text, StringComparison.Ordinal);
        Assert.Contains("/postgres/demo", text, StringComparison.Ordinal);
    }
}
