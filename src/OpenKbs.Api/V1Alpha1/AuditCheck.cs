using System.Text.Json.Serialization;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>A family of audit checks.</summary>
public enum AuditCheck
{
    /// <summary>Dangerous code patterns in the functions' source.</summary>
    [JsonStringEnumMemberName("code")]
    Code,

    /// <summary>Credentials and keys committed into the artifact.</summary>
    [JsonStringEnumMemberName("secrets")]
    Secrets,

    /// <summary>Known-vulnerable or unpinned dependencies.</summary>
    [JsonStringEnumMemberName("dependencies")]
    Dependencies,

    /// <summary>The project's infrastructure settings.</summary>
    [JsonStringEnumMemberName("infrastructure")]
    Infrastructure,
}
