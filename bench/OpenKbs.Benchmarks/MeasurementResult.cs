namespace OpenKbs.Benchmarks;

/// <summary>One row of a measurement: what was measured, the figure with its unit, and the target it is judged against (if any).</summary>
internal sealed record MeasurementResult(string Metric, string Value, string? Target = null, bool? Met = null);
