namespace OpenKbs.Api.V1Alpha1;

/// <summary>
/// The AWS regions in EU member states: the only regions an OpenKBS account may use.
/// Not eu-west-2 (London, UK) and not eu-central-2 (Zurich, CH).
/// </summary>
public static class EuRegions
{
    /// <summary>Frankfurt, the default home region.</summary>
    public const string EuCentral1 = "eu-central-1";

    /// <summary>Ireland.</summary>
    public const string EuWest1 = "eu-west-1";

    /// <summary>Paris.</summary>
    public const string EuWest3 = "eu-west-3";

    /// <summary>Stockholm.</summary>
    public const string EuNorth1 = "eu-north-1";

    /// <summary>Milan.</summary>
    public const string EuSouth1 = "eu-south-1";

    /// <summary>Spain.</summary>
    public const string EuSouth2 = "eu-south-2";

    /// <summary>All six, in this order.</summary>
    public static IReadOnlyList<string> All { get; } = [EuCentral1, EuWest1, EuWest3, EuNorth1, EuSouth1, EuSouth2];
}
