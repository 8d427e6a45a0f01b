namespace OpenKbs.Controllers.Projects;

/// <summary>
/// Every timing of the Project controller in one place (named waits). <see cref="ProjectOptions"/> starts from these values;
/// tests shorten them through configuration section <c>Project</c>.
/// </summary>
public static class ProjectWaits
{
    /// <summary>While the referenced ClientAccount is missing or not Ready (a ClientAccount change also wakes the Project at once).</summary>
    public static readonly TimeSpan WaitForAccount = TimeSpan.FromSeconds(30);

    /// <summary>While a Lambda function is Pending or its LastUpdateStatus is InProgress, or an update answered 409
    /// ResourceConflictException: look again, never hammer (the FunctionUpdatedV2 waiter polls every 1 s; 5 s is polite).</summary>
    public static readonly TimeSpan WaitForLambda = TimeSpan.FromSeconds(5);

    /// <summary>After creating the execution role, before Lambda accepts it (IAM is eventually consistent: roughly 10 s).</summary>
    public static readonly TimeSpan WaitForIamPropagation = TimeSpan.FromSeconds(10);

    /// <summary>While an Aurora cluster or instance is creating or modifying (the DBClusterAvailable waiter polls every 30 s).</summary>
    public static readonly TimeSpan WaitForDatabase = TimeSpan.FromSeconds(30);

    /// <summary>While a CloudFront distribution is InProgress (the DistributionDeployed waiter polls every 60 s).</summary>
    public static readonly TimeSpan WaitForDistribution = TimeSpan.FromSeconds(60);

    /// <summary>How often consumption figures are read from CloudWatch (they are summaries, not alerts).</summary>
    public static readonly TimeSpan UsageRefresh = TimeSpan.FromHours(1);

    /// <summary>Right after a step changed something that another pass must confirm (e.g. keys handed over, revocation next).</summary>
    public static readonly TimeSpan WaitForNextPhase = TimeSpan.Zero;
}
