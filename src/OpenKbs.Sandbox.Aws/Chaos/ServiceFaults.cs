namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>How one service says "throttled" and "internal error" on the wire.</summary>
/// <param name="ThrottleStatus">HTTP status of the throttling error.</param>
/// <param name="ThrottleCode">Its error code.</param>
/// <param name="ThrottleMessage">Its message.</param>
/// <param name="InternalCode">Code of the 500 error.</param>
/// <param name="MessageField">JSON member that carries the message (<c>message</c> or <c>Message</c>).</param>
/// <param name="RetryAfter">Whether the throttling answer carries a Retry-After header (Lambda).</param>
internal sealed record ServiceFaults(int ThrottleStatus, string ThrottleCode, string ThrottleMessage, string InternalCode, string MessageField = "message", bool RetryAfter = false)
{
    /// <summary>Extra JSON members of the throttling error body.</summary>
    public IReadOnlyDictionary<string, string> ThrottleExtra { get; init; } = new Dictionary<string, string>();

    /// <summary>The AWS-wide code of a 503.</summary>
    public string UnavailableCode { get; init; } = "ServiceUnavailable";

    private const string RateExceeded = "Rate exceeded";

    /// <summary>Per signing name; see reference §4 (Organizations), §8 (Lambda), §10 (CloudFront), §9 (S3) and the models.</summary>
    private static readonly Dictionary<string, ServiceFaults> ByService = new(StringComparer.Ordinal)
    {
        ["organizations"] = new(400, "TooManyRequestsException", "AWS Organizations can't complete your request because another request is already in progress. Try again later.", "ServiceException", "Message"),
        ["lambda"] = new(429, "TooManyRequestsException", RateExceeded, "ServiceException", "message", RetryAfter: true)
        {
            ThrottleExtra = new Dictionary<string, string> { ["Type"] = "User", ["Reason"] = "CallerRateLimitExceeded", ["retryAfterSeconds"] = "1" },
        },
        ["account"] = new(429, "TooManyRequestsException", RateExceeded, "InternalServerException"),
        ["scheduler"] = new(429, "ThrottlingException", RateExceeded, "InternalServerException", "Message"),
        ["iam"] = new(400, "Throttling", RateExceeded, "ServiceFailure"),
        ["sts"] = new(400, "Throttling", RateExceeded, "InternalFailure"),
        ["rds"] = new(400, "Throttling", RateExceeded, "InternalFailure"),
        ["monitoring"] = new(400, "Throttling", RateExceeded, "InternalServiceError"),
        ["cloudfront"] = new(400, "Throttling", RateExceeded, "InternalError"),
        ["s3"] = new(503, "SlowDown", "Please reduce your request rate.", "InternalError"),
        ["events"] = new(400, "ThrottlingException", RateExceeded, "InternalException"),
        ["kms"] = new(400, "ThrottlingException", RateExceeded, "KMSInternalException"),
        ["ce"] = new(400, "LimitExceededException", RateExceeded, "InternalFailure", "Message"),
    };

    public static ServiceFaults For(AwsRequestInfo request) =>
        ByService.TryGetValue(request.Service, out var faults)
            ? faults
            : request.Protocol switch
            {
                AwsProtocol.RestJson => new ServiceFaults(429, "TooManyRequestsException", RateExceeded, "InternalFailure"),
                AwsProtocol.Query => new ServiceFaults(400, "Throttling", RateExceeded, "InternalFailure"),
                AwsProtocol.RestXml => new ServiceFaults(503, "SlowDown", "Please reduce your request rate.", "InternalError"),
                _ => new ServiceFaults(400, "ThrottlingException", RateExceeded, "InternalFailure"),
            };
}
