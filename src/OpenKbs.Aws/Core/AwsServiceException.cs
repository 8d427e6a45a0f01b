using System.Net;

namespace OpenKbs.Aws.Core;

/// <summary>
/// The one exception type every OpenKBS AWS client throws for a failed call: the AWS error code, the HTTP status,
/// the request id and a classification that tells the controller whether to retry, wait, or stop.
/// The message never contains request payloads or credentials.
/// </summary>
public class AwsServiceException : Exception
{
    public AwsServiceException()
        : this("AWS call failed.")
    {
    }

    public AwsServiceException(string message)
        : this(message, innerException: null)
    {
    }

    public AwsServiceException(string message, Exception? innerException)
        : base(message, innerException)
    {
        ErrorCode = "Unknown";
        Service = "unknown";
        Operation = "unknown";
        Classification = AwsErrorClassification.Terminal;
    }

    public AwsServiceException(
        string service,
        string operation,
        string errorCode,
        string? message,
        HttpStatusCode httpStatus,
        string? requestId,
        AwsErrorClassification classification,
        Exception? innerException = null)
        : base(FormatMessage(service, operation, errorCode, message, httpStatus), innerException)
    {
        Service = service;
        Operation = operation;
        ErrorCode = errorCode;
        AwsMessage = message;
        HttpStatus = httpStatus;
        RequestId = requestId;
        Classification = classification;
    }

    /// <summary>The signing name of the service, e.g. <c>organizations</c>, <c>iam</c>.</summary>
    public string Service { get; }

    /// <summary>The API operation, e.g. <c>CreateAccount</c>.</summary>
    public string Operation { get; }

    /// <summary>The normalised AWS error code (e.g. <c>NoSuchEntity</c>, <c>ConcurrentModificationException</c>), or an OpenKBS code for client-side failures (<c>RegionNotAllowed</c>, <c>RequestTimeout</c>, <c>NetworkError</c>).</summary>
    public string ErrorCode { get; }

    /// <summary>The message AWS returned, if any.</summary>
    public string? AwsMessage { get; }

    /// <summary>The HTTP status, or 0 when no response was received.</summary>
    public HttpStatusCode HttpStatus { get; }

    /// <summary>The AWS request id (x-amzn-RequestId / RequestId), when AWS answered.</summary>
    public string? RequestId { get; }

    /// <summary>What to do about it.</summary>
    public AwsErrorClassification Classification { get; }

    /// <summary>The <c>Reason</c> member some errors carry (Organizations ConstraintViolationException, Lambda TooManyRequestsException).</summary>
    public string? Reason { get; init; }

    /// <summary>The delay AWS asked for in a <c>Retry-After</c> header, if any.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>How many HTTP attempts were made before giving up.</summary>
    public int Attempts { get; init; } = 1;

    public bool IsThrottling => Classification == AwsErrorClassification.Throttling;

    public bool IsNotFound => Classification == AwsErrorClassification.NotFound;

    public bool IsConflict => Classification == AwsErrorClassification.Conflict;

    public bool IsTerminal => Classification == AwsErrorClassification.Terminal;

    public bool IsRetryable => Classification is AwsErrorClassification.Throttling or AwsErrorClassification.Transient;

    private static string FormatMessage(string service, string operation, string code, string? message, HttpStatusCode status)
    {
        var statusText = status == 0 ? "no response" : $"HTTP {(int)status}";
        return string.IsNullOrEmpty(message)
            ? $"{service}:{operation} failed with {code} ({statusText})."
            : $"{service}:{operation} failed with {code} ({statusText}): {message}";
    }
}
