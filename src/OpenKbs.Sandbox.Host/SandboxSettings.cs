using OpenKbs.Sandbox.Aws.Chaos;

namespace OpenKbs.Sandbox.Host;

/// <summary>The options of `openkbs sandbox`.</summary>
internal sealed record SandboxSettings
{
    public required string StateDirectory { get; init; }

    public bool WithOperator { get; init; }

    public int KubePort { get; init; }

    public int AwsPort { get; init; }

    public string? AwsEndpoint { get; init; }

    public string? CrdsDirectory { get; init; }

    public string? ExamplesDirectory { get; init; }

    /// <summary>`--anchor-bucket`: the audit anchor bucket created with Object Lock and given to the operator (AuditStore:AnchorBucket); null: none.</summary>
    public string? AnchorBucket { get; init; }

    /// <summary>The parsed `--aws-chaos` spec of the AWS proxy that fronts moto (no faults by default).</summary>
    public AwsChaosSpec AwsChaos { get; init; } = AwsChaosSpec.None;
}
