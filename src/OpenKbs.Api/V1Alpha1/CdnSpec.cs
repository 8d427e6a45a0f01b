using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>A CloudFront distribution: HTTPS only (TLSv1.2_2021 or newer), origins reached through origin access control.</summary>
public sealed record CdnSpec
{
    /// <summary>Create the distribution.</summary>
    public bool Enabled { get; init; }

    /// <summary>Which edge locations serve it: PriceClass_100 (North America, Europe, Israel; the default when
    /// absent), PriceClass_200 or PriceClass_All.</summary>
    [Enum(CdnPriceClasses.PriceClass100, CdnPriceClasses.PriceClass200, CdnPriceClasses.PriceClassAll)]
    public string? PriceClass { get; init; }
}
