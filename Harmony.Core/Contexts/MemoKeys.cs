namespace Harmony.Core.Contexts;

/// <summary>Workflow memo keys under which the caller's identity and context travel with the work.</summary>
public static class MemoKeys
{
    /// <summary>Memo key of the <see cref="SecurityContext"/>.</summary>
    public const string SecurityContext = "golden.securityContext";

    /// <summary>Memo key of the <see cref="GoldenContext"/>.</summary>
    public const string GoldenContext = "golden.context";
}
