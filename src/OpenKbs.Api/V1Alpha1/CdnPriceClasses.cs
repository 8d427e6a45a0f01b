namespace OpenKbs.Api.V1Alpha1;

/// <summary>
/// CloudFront price classes (which edge locations serve the distribution). A Project may use only
/// <see cref="PriceClass100"/> (residency decision, docs/project.md "CDN and data residency"); the others are named here
/// because AWS can report them (drift) and the operator puts them back.
/// </summary>
public static class CdnPriceClasses
{
    /// <summary>Europe, North America and Israel: the narrowest class AWS offers, and the only one a Project may use.</summary>
    public const string PriceClass100 = "PriceClass_100";

    /// <summary>PriceClass_100 plus Africa, Asia and the Middle East.</summary>
    public const string PriceClass200 = "PriceClass_200";

    /// <summary>All edge locations.</summary>
    public const string PriceClassAll = "PriceClass_All";
}
