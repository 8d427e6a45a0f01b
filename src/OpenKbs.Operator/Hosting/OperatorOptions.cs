namespace OpenKbs.Operator.Hosting;

/// <summary>Settings of one operator process (`openkbs run`, or in-process under `openkbs sandbox --with-operator`).</summary>
internal sealed record OperatorOptions
{
    /// <summary>Path to a kubeconfig; null means in-cluster configuration, then the default kubeconfig.</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>Extra environment values (e.g. the AWS settings from the sandbox's aws.env) that override the process environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
