namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>
/// Knobs of the realism state machines (what moto finishes at once). A machine leaves its pending
/// state after <c>…Polls</c> status reads of that resource and, when <c>…Delay</c> is non-zero, once
/// that much time has passed on the engine's <see cref="TimeProvider"/>. Zero polls and zero delay
/// turn a machine off.
/// </summary>
public sealed record AwsRealismOptions
{
    /// <summary>DescribeCreateAccountStatus / ListCreateAccountStatus reads that still show IN_PROGRESS (spec <c>org-polls</c>).</summary>
    public int CreateAccountPolls { get; init; } = 2;

    /// <summary>Minimum time a CreateAccount stays IN_PROGRESS (spec <c>org-delay</c>).</summary>
    public TimeSpan CreateAccountDelay { get; init; }

    /// <summary>CreateAccount requests allowed IN_PROGRESS at once per organization; one more is refused (spec <c>org-in-flight</c>).</summary>
    public int MaxCreateAccountsInFlight { get; init; } = 5;

    /// <summary>DescribeAccount / ListAccounts reads that still show PENDING_CLOSURE after CloseAccount (spec <c>close-polls</c>).</summary>
    public int CloseAccountPolls { get; init; } = 2;

    /// <summary>Minimum time an account stays PENDING_CLOSURE (spec <c>close-delay</c>).</summary>
    public TimeSpan CloseAccountDelay { get; init; }

    /// <summary>Probability that an Organizations List* call answers an empty page with a NextToken (spec <c>empty-pages</c>).</summary>
    public double EmptyPageRate { get; init; } = 0.1;

    /// <summary>GetFunction / GetFunctionConfiguration reads that still show Pending or InProgress (spec <c>lambda-polls</c>).</summary>
    public int LambdaPolls { get; init; } = 2;

    /// <summary>Minimum time a function stays Pending / InProgress (spec <c>lambda-delay</c>).</summary>
    public TimeSpan LambdaDelay { get; init; }

    /// <summary>GetDistribution / ListDistributions reads that still show InProgress (spec <c>cloudfront-polls</c>).</summary>
    public int CloudFrontPolls { get; init; } = 2;

    /// <summary>Minimum time a distribution stays InProgress (spec <c>cloudfront-delay</c>).</summary>
    public TimeSpan CloudFrontDelay { get; init; }

    /// <summary>DescribeDBClusters / DescribeDBInstances reads that still show creating or modifying (spec <c>rds-polls</c>).</summary>
    public int RdsPolls { get; init; } = 2;

    /// <summary>Minimum time a cluster or instance stays creating / modifying (spec <c>rds-delay</c>).</summary>
    public TimeSpan RdsDelay { get; init; }
}
