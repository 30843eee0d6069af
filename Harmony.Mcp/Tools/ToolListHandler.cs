using Harmony.Mcp.Identity;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Harmony.Mcp.Tools;

/// <summary>
/// Answers <c>tools/list</c> with the tools the caller may call: the same identity and role check as
/// <c>tools/call</c>, so an agent is never shown a tool it will be refused.
/// </summary>
public sealed class ToolListHandler(ToolDirectory directory, CallerResolver callers)
{
    public ListToolsResult Handle(RequestContext<ListToolsRequestParams> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = callers.Resolve(context.JsonRpcRequest.Params, context.User);
        if (caller.Identity is not { } identity)
        {
            return new ListToolsResult { Tools = [] };
        }

        return new ListToolsResult
        {
            Tools = [.. directory.Entries.Where(e => e.IsAllowedFor(identity.Roles)).Select(e => e.Tool)],
        };
    }
}
