namespace OpenKbs.Api.V1Alpha1;

/// <summary>CloudFront price classes (which edge locations serve the distribution).</summary>
public static class CdnPriceClasses
{
    /// <summary>North America, Europe and Israel: the cheapest, and the operator's default.</summary>
    public const string PriceClass100 = "PriceClass_100";

    /// <summary>PriceClass_100 plus Africa, Asia and the Middle East.</summary>
    public const string PriceClass200 = "PriceClass_200";

    /// <summary>All edge locations.</summary>
    public const string PriceClassAll = "PriceClass_All";
}
