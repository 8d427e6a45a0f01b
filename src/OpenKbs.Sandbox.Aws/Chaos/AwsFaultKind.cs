namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>A fault the chaos layer can inject into one AWS call.</summary>
public enum AwsFaultKind
{
    /// <summary>The service's own throttling error in its protocol's format (e.g. Lambda 429 TooManyRequestsException with Retry-After).</summary>
    Throttle,

    /// <summary>HTTP 500 with the service's internal-error code.</summary>
    InternalError,

    /// <summary>HTTP 503 ServiceUnavailable.</summary>
    ServiceUnavailable,

    /// <summary>The connection is dropped without a response (the proxy aborts it; the handler throws like a reset socket).</summary>
    ConnectionReset,

    /// <summary>No answer: the call hangs until the client gives up (or the spec's hang limit, then the connection drops).</summary>
    Timeout,
}
