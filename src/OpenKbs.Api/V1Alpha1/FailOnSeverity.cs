using System.Runtime.Serialization;
using System.Text.Json.Serialization;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>The lowest finding severity that fails an AuditRun.</summary>
/// <remarks>Wire names for KubernetesJson (JsonStringEnumMemberName) and KubernetesYaml (EnumMember).</remarks>
public enum FailOnSeverity
{
    /// <summary>Fail on critical findings only.</summary>
    [JsonStringEnumMemberName("critical")]
    [EnumMember(Value = "critical")]
    Critical,

    /// <summary>Fail on high or critical findings.</summary>
    [JsonStringEnumMemberName("high")]
    [EnumMember(Value = "high")]
    High,

    /// <summary>Fail on medium, high or critical findings.</summary>
    [JsonStringEnumMemberName("medium")]
    [EnumMember(Value = "medium")]
    Medium,
}
