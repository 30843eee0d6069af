using Temporalio.Worker.Interceptors;
using Temporalio.Workflows;

namespace Harmony.Tests.Worker;

/// <summary>What a replayed workflow asked for and how it ended, recorded by a worker interceptor.</summary>
internal sealed class ReplayCapture : IWorkerInterceptor
{
    private readonly List<ScheduledActivity> _activities = [];

    public IReadOnlyList<ScheduledActivity> Activities
    {
        get
        {
            lock (_activities)
            {
                return [.. _activities];
            }
        }
    }

    public bool Finished { get; private set; }

    public object? Result { get; private set; }

    public Exception? Failure { get; private set; }

    public WorkflowInboundInterceptor InterceptWorkflow(WorkflowInboundInterceptor nextInterceptor) => new Inbound(nextInterceptor, this);

    /// <summary>One activity the workflow scheduled: its type, arguments and options.</summary>
    internal sealed record ScheduledActivity(string Type, IReadOnlyList<object?> Args, ActivityOptions Options);

    private sealed class Inbound(WorkflowInboundInterceptor next, ReplayCapture capture) : WorkflowInboundInterceptor(next)
    {
        public override void Init(WorkflowOutboundInterceptor outbound) => base.Init(new Outbound(outbound, capture));

        public override async Task<object?> ExecuteWorkflowAsync(ExecuteWorkflowInput input)
        {
            try
            {
                capture.Result = await base.ExecuteWorkflowAsync(input);
                return capture.Result;
            }
            catch (Exception e)
            {
                capture.Failure = e;
                throw;
            }
            finally
            {
                capture.Finished = true;
            }
        }
    }

    private sealed class Outbound(WorkflowOutboundInterceptor next, ReplayCapture capture) : WorkflowOutboundInterceptor(next)
    {
        public override Task<TResult> ScheduleActivityAsync<TResult>(ScheduleActivityInput input)
        {
            lock (capture._activities)
            {
                capture._activities.Add(new ScheduledActivity(input.Activity, [.. input.Args], input.Options));
            }

            return base.ScheduleActivityAsync<TResult>(input);
        }
    }
}
