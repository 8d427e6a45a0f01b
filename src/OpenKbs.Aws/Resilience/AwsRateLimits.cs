namespace OpenKbs.Aws.Resilience;

/// <summary>
/// THE table of client-side rate limits, one token bucket per (account, service, API family). The operator runs at these
/// quotas, not below: a call waits for a token instead of being throttled by AWS. Numbers and sources are repeated in docs/aws.md.
/// An operation names its family in its <c>AwsOperation</c>; a family missing here falls back to the service's <c>control</c> row.
/// </summary>
public static class AwsRateLimits
{
    /// <summary>The default family of every operation.</summary>
    public const string Control = "control";

    public static IReadOnlyList<AwsRateLimit> All { get; } =
    [
        new("lambda", Control, 15, 15, "Lambda quotas page: control plane API requests 15/s (excluding invocation, GetFunction, GetPolicy)."),
        new("lambda", "GetFunction", 100, 100, "Lambda quotas page: GetFunction API requests 100/s."),
        new("lambda", "GetPolicy", 15, 15, "Lambda quotas page: GetPolicy API requests 15/s."),
        new("rds", Control, 12, 300, "RDS user guide, 'Request throttling for the Amazon RDS API': 12/s sustained, bursts of 300 (token bucket)."),
        new(
            "organizations",
            Control,
            5,
            10,
            "No published TPS. Organizations is one us-east-1 endpoint shared by the whole organization; 5/s (burst 10) keeps every tenant's "
            + "reconcile well under the ~10/s where throttling is commonly reported, and is far above what reconciles need."),
        new(
            "organizations",
            "CreateAccount",
            1,
            5,
            "Account creation is quota-bound (5 in flight per organization, see InFlightLimiter): a burst of 5 fills every free slot at "
            + "once (burst 2 spaced the 3rd-5th a second apart, idling slots); 1/s sustained is plenty."),
        new("account", Control, 3, 3, "Account Management quotas: GetPrimaryEmail 3/s."),
        new("account", "StartPrimaryEmailUpdate", 0.1, 3, "Account Management quotas: StartPrimaryEmailUpdate 3 per 30 s per target account."),
        new("account", "AcceptPrimaryEmailUpdate", 1, 1, "Account Management quotas: AcceptPrimaryEmailUpdate 1/s per caller account."),
        new("iam", Control, 10, 20, "No published TPS (IAM is global per account and throttles with 'Rate exceeded'); 10/s is conservative."),
        new("sts", Control, 50, 100, "STS request quota is 600/s per account and region (shared); sessions are cached, 50/s is ample."),
        new("cloudfront", Control, 5, 10, "CloudFront control-plane quotas are low and unpublished per API; 5/s conservative, mutations are rare."),
        new("scheduler", Control, 20, 40, "EventBridge Scheduler API quotas (UNVERIFIED exact figures; documented as tens of TPS per account); 20/s conservative."),
        new("iot", Control, 5, 10, "IoT Core DescribeEndpoint is called once per reconcile of an MQTT project; 5/s conservative (UNVERIFIED quota)."),
        new("events", Control, 10, 20, "EventBridge PutRule/PutTargets quotas (UNVERIFIED); 10/s conservative."),
        new("monitoring", Control, 25, 50, "CloudWatch GetMetricData 50 TPS per account and region; half of it."),
        new("kms", Control, 100, 200, "KMS shared cryptographic quota is thousands/s per account and region; 100/s is ample for envelope encryption."),
        new("ce", Control, 1, 2, "Cost Explorer charges USD 0.01 per request; 1/s and callers cache results."),
        new("s3", Control, 50, 100, "S3 per-prefix limits are thousands/s; bucket configuration calls are rare."),
    ];

    /// <summary>The limit for a (service, family), falling back to the service's <see cref="Control"/> row; null when the service has none.</summary>
    public static AwsRateLimit? Find(string service, string family)
    {
        AwsRateLimit? fallback = null;
        foreach (var limit in All)
        {
            if (limit.Service != service)
            {
                continue;
            }

            if (limit.Family == family)
            {
                return limit;
            }

            if (limit.Family == Control)
            {
                fallback = limit;
            }
        }

        return fallback;
    }
}
