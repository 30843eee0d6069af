using System.Text.Json.Serialization;

namespace Harmony.Core.Contexts;

/// <summary>How sensitive data is; <see cref="Restricted"/> work is not run without approval.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DataClassification>))]
public enum DataClassification
{
    /// <summary>Anyone may see it.</summary>
    [JsonStringEnumMemberName("PUBLIC")] Public,

    /// <summary>Anyone in the organisation may see it.</summary>
    [JsonStringEnumMemberName("INTERNAL")] Internal,

    /// <summary>Only those who need it may see it.</summary>
    [JsonStringEnumMemberName("CONFIDENTIAL")] Confidential,

    /// <summary>Changes production or exposes regulated data: needs approval.</summary>
    [JsonStringEnumMemberName("RESTRICTED")] Restricted,
}
