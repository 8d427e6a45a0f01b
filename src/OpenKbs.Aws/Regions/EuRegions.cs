using System.Collections.Frozen;

namespace OpenKbs.Aws.Regions;

/// <summary>
/// The AWS regions located in EU member states. Deliberately excludes eu-west-2 (London, UK), eu-central-2 (Zurich, CH)
/// and every non-EU region. Adding a region here is a data-residency decision, not a code change to take lightly.
/// </summary>
public static class EuRegions
{
    /// <summary>eu-central-1 Frankfurt, eu-west-1 Ireland, eu-west-3 Paris, eu-north-1 Stockholm, eu-south-1 Milan, eu-south-2 Spain.</summary>
    public static readonly FrozenSet<string> MemberStateRegions = FrozenSet.Create(
        StringComparer.Ordinal,
        "eu-central-1",
        "eu-west-1",
        "eu-west-3",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2");

    public static bool IsMemberStateRegion(string? region) => region is not null && MemberStateRegions.Contains(region);
}
