namespace OpenKbs.Operator.Hosting;

/// <summary>Builds and runs the operator host. The runtime work fills this in; `run` and `sandbox --with-operator` both call it.</summary>
internal static class OperatorHost
{
    public static Task<int> RunAsync(OperatorOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ = cancellationToken;
        throw new NotSupportedException("The operator host is not wired yet.");
    }
}
