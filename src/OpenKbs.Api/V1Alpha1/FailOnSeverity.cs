using System.Text.Json.Serialization;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>The lowest finding severity that fails an AuditRun.</summary>
public enum FailOnSeverity
{
    /// <summary>Fail on critical findings only.</summary>
    [JsonStringEnumMemberName("critical")]
    Critical,

    /// <summary>Fail on high or critical findings.</summary>
    [JsonStringEnumMemberName("high")]
    High,

    /// <summary>Fail on medium, high or critical findings.</summary>
    [JsonStringEnumMemberName("medium")]
    Medium,
}
