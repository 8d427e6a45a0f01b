using System.Runtime.Serialization;
using System.Text.Json.Serialization;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>A family of audit checks.</summary>
/// <remarks>Wire names for KubernetesJson (JsonStringEnumMemberName) and KubernetesYaml (EnumMember).</remarks>
public enum AuditCheck
{
    /// <summary>Dangerous code patterns in the functions' source.</summary>
    [JsonStringEnumMemberName("code")]
    [EnumMember(Value = "code")]
    Code,

    /// <summary>Credentials and keys committed into the artifact.</summary>
    [JsonStringEnumMemberName("secrets")]
    [EnumMember(Value = "secrets")]
    Secrets,

    /// <summary>Known-vulnerable or unpinned dependencies.</summary>
    [JsonStringEnumMemberName("dependencies")]
    [EnumMember(Value = "dependencies")]
    Dependencies,

    /// <summary>The project's infrastructure settings.</summary>
    [JsonStringEnumMemberName("infrastructure")]
    [EnumMember(Value = "infrastructure")]
    Infrastructure,
}
