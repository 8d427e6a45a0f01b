namespace OpenKbs.Audit.Reports;

/// <summary>The NIS2 Directive (EU) 2022/2555 measures an audit report is evidence for.</summary>
public static class Nis2
{
    public const string PointE = "Article 21(2)(e): security in network and information systems acquisition, development and maintenance, including vulnerability handling and disclosure";

    public const string PointF = "Article 21(2)(f): policies and procedures to assess the effectiveness of cybersecurity risk-management measures";

    /// <summary>SARIF tags for the two points.</summary>
    public static readonly string[] Tags = ["nis2/art-21-2-e", "nis2/art-21-2-f"];
}
