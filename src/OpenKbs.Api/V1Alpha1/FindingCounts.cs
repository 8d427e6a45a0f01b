using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>Numbers of findings by severity.</summary>
public sealed class FindingCounts
{
    /// <summary>Critical findings.</summary>
    [Minimum(0)]
    public int Critical { get; set; }

    /// <summary>High findings.</summary>
    [Minimum(0)]
    public int High { get; set; }

    /// <summary>Medium findings.</summary>
    [Minimum(0)]
    public int Medium { get; set; }

    /// <summary>Low findings.</summary>
    [Minimum(0)]
    public int Low { get; set; }

    /// <summary>Findings a suppression accepted (not counted above).</summary>
    [Minimum(0)]
    public int Suppressed { get; set; }
}
