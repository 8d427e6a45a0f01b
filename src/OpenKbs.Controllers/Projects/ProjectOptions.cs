namespace OpenKbs.Controllers.Projects;

/// <summary>Settings of the Project controller (configuration section <c>Project</c>, e.g. <c>OPENKBS_Project__WaitForLambda=00:00:01</c>).</summary>
public sealed class ProjectOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Project";

    /// <summary>The environment variable naming the platform artifact bucket (management account).</summary>
    public const string ArtifactBucketVariable = "OPENKBS_ARTIFACT_BUCKET";

    /// <summary>The platform bucket artifacts are read from with management credentials (default: <c>$OPENKBS_ARTIFACT_BUCKET</c>).
    /// A <c>spec.source.s3.bucket</c> naming another bucket is refused: the operator reads artifacts only from the platform bucket.</summary>
    public string? ArtifactBucket { get; set; } = Environment.GetEnvironmentVariable(ArtifactBucketVariable);

    /// <inheritdoc cref="ProjectWaits.WaitForAccount"/>
    public TimeSpan WaitForAccount { get; set; } = ProjectWaits.WaitForAccount;

    /// <inheritdoc cref="ProjectWaits.WaitForLambda"/>
    public TimeSpan WaitForLambda { get; set; } = ProjectWaits.WaitForLambda;

    /// <inheritdoc cref="ProjectWaits.WaitForIamPropagation"/>
    public TimeSpan WaitForIamPropagation { get; set; } = ProjectWaits.WaitForIamPropagation;

    /// <inheritdoc cref="ProjectWaits.WaitForDatabase"/>
    public TimeSpan WaitForDatabase { get; set; } = ProjectWaits.WaitForDatabase;

    /// <inheritdoc cref="ProjectWaits.WaitForDistribution"/>
    public TimeSpan WaitForDistribution { get; set; } = ProjectWaits.WaitForDistribution;

    /// <inheritdoc cref="ProjectWaits.UsageRefresh"/>
    public TimeSpan UsageRefresh { get; set; } = ProjectWaits.UsageRefresh;

    /// <summary>Drift check of a Ready project (jittered ±10 %); null uses the runtime's resync interval (default 10 minutes).</summary>
    public TimeSpan? DriftCheckInterval { get; set; }

    /// <summary>Workers of this controller; null uses the runtime's value.</summary>
    public int? MaxConcurrentReconciles { get; set; }

    /// <summary>What is wrong with these settings (empty when nothing is).</summary>
    public IEnumerable<string> Failures() => Shared.OptionsRules.Check(
        SectionName,
        [(nameof(WaitForAccount), WaitForAccount), (nameof(WaitForLambda), WaitForLambda), (nameof(WaitForIamPropagation), WaitForIamPropagation),
         (nameof(WaitForDatabase), WaitForDatabase), (nameof(WaitForDistribution), WaitForDistribution), (nameof(UsageRefresh), UsageRefresh),
         (nameof(DriftCheckInterval), DriftCheckInterval)],
        [(nameof(MaxConcurrentReconciles), MaxConcurrentReconciles)]);
}
