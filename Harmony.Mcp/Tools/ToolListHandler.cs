using Harmony.Mcp.Identity;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Harmony.Mcp.Tools;

/// <summary>
/// Answers <c>tools/list</c> with the tools the caller may call: the same identity and role check as
/// <c>tools/call</c>, so an agent is never shown a tool it will be refused. A refused or missing (when required)
/// envelope is a JSON-RPC error naming the envelope check, as for <c>tools/call</c>'s tool lookup.
/// </summary>
public sealed class ToolListHandler(ToolDirectory directory, CallerResolver callers)
{
    public ListToolsResult Handle(RequestContext<ListToolsRequestParams> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = callers.Resolve(context.JsonRpcRequest.Params, context.User);
        if (caller.Identity is not { } identity)
        {
            // An empty list would leave the agent guessing; the refused envelope is what it has to fix.
            throw new McpProtocolException(
                $"The call envelope was refused: {caller.EnvelopeError}: {caller.EnvelopeErrorMessage} (trace_id {caller.TraceId})",
                McpErrorCode.InvalidParams);
        }

        return new ListToolsResult
        {
            Tools = [.. directory.Entries.Where(e => e.IsAllowedFor(identity.Roles)).Select(e => e.Tool)],
        };
    }
}
