using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>Where an audit report is stored: a ConfigMap in this namespace, an S3 object, or both.</summary>
public sealed class ReportReference
{
    /// <summary>The ConfigMap, in this namespace, holding the report.</summary>
    [MaxLength(253)]
    public string? ConfigMapName { get; set; }

    /// <summary>The S3 object holding the report.</summary>
    public S3Location? S3 { get; set; }
}
