using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>Consumption of one function in the period.</summary>
public sealed class FunctionUsage
{
    /// <summary>The function's name in the spec.</summary>
    [MaxLength(32)]
    public string? Name { get; set; }

    /// <summary>Invocations.</summary>
    [Minimum(0)]
    public long? Invocations { get; set; }

    /// <summary>Invocations that ended in an error.</summary>
    [Minimum(0)]
    public long? Errors { get; set; }

    /// <summary>Average duration in milliseconds.</summary>
    [Minimum(0)]
    public double? AvgDurationMs { get; set; }
}
