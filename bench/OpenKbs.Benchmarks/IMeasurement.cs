namespace OpenKbs.Benchmarks;

/// <summary>One measurement of `make bench`. Each room adds its own classes; Program runs every one whose group matches.</summary>
internal interface IMeasurement
{
    /// <summary>Group name used on the command line (`runtime`, `sandbox`, `aws`, ...).</summary>
    string Group { get; }

    /// <summary>Human-readable title printed above the results.</summary>
    string Title { get; }

    /// <summary>Runs the measurement and returns metric name/value rows (value already formatted with its unit).</summary>
    Task<IReadOnlyList<MeasurementResult>> RunAsync(CancellationToken cancellationToken);
}
