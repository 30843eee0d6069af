namespace Harmony.Core.Contexts;

/// <summary>The wire names of <see cref="DataClassification"/>, as envelopes and configuration spell them.</summary>
public static class DataClassifications
{
    /// <summary>Parses an exact wire name (<c>PUBLIC</c>, <c>INTERNAL</c>, <c>CONFIDENTIAL</c>, <c>RESTRICTED</c>).</summary>
    public static bool TryParse(string? value, out DataClassification classification)
    {
        switch (value)
        {
            case "PUBLIC": classification = DataClassification.Public; return true;
            case "INTERNAL": classification = DataClassification.Internal; return true;
            case "CONFIDENTIAL": classification = DataClassification.Confidential; return true;
            case "RESTRICTED": classification = DataClassification.Restricted; return true;
            default: classification = default; return false;
        }
    }

    /// <summary>The wire name of a classification.</summary>
    public static string ToWireName(this DataClassification classification) => classification switch
    {
        DataClassification.Public => "PUBLIC",
        DataClassification.Internal => "INTERNAL",
        DataClassification.Confidential => "CONFIDENTIAL",
        DataClassification.Restricted => "RESTRICTED",
        _ => throw new ArgumentOutOfRangeException(nameof(classification), classification, "Unknown data classification."),
    };
}
