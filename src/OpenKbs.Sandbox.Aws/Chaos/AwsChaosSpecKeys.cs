namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>The keys of the <c>--aws-chaos</c> spec text.</summary>
public static class AwsChaosSpecKeys
{
    public const string Throttle = "throttle";
    public const string Error = "error";
    public const string Reset = "reset";
    public const string Timeout = "timeout";
    public const string Latency = "latency";
    public const string After = "after";
    public const string Hang = "hang";
    public const string Seed = "seed";
    public const string Services = "services";
    public const string Operations = "operations";
    public const string Realism = "realism";
    public const string AccountApi = "account-api";
    public const string S3Tls = "s3-tls";
    public const string Otp = "otp";
    public const string OtpTtl = "otp-ttl";
    public const string OrgPolls = "org-polls";
    public const string OrgDelay = "org-delay";
    public const string OrgInFlight = "org-in-flight";
    public const string ClosePolls = "close-polls";
    public const string CloseDelay = "close-delay";
    public const string EmptyPages = "empty-pages";
    public const string LambdaPolls = "lambda-polls";
    public const string LambdaDelay = "lambda-delay";
    public const string CloudFrontPolls = "cloudfront-polls";
    public const string CloudFrontDelay = "cloudfront-delay";
    public const string RdsPolls = "rds-polls";
    public const string RdsDelay = "rds-delay";

    /// <summary>Every key, in the order the docs list them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Throttle, Error, Reset, Timeout, Latency, After, Hang, Seed, Services, Operations,
        Realism, OrgPolls, OrgDelay, OrgInFlight, ClosePolls, CloseDelay, EmptyPages,
        LambdaPolls, LambdaDelay, CloudFrontPolls, CloudFrontDelay, RdsPolls, RdsDelay,
        AccountApi, S3Tls, Otp, OtpTtl,
    ];
}
