namespace OpenKbs.Aws.Pipeline;

/// <summary>What the pipeline may retry for an operation.</summary>
internal enum AwsRetryMode
{
    /// <summary>Idempotent operations: throttling, transient errors (5xx), timeouts and connection failures.</summary>
    Standard,

    /// <summary>
    /// Non-idempotent operations (CreateAccount): only throttling, where AWS certainly did not act. A 5xx or a timeout may hide a
    /// request AWS did execute, so it goes back to the controller, which looks the object up before trying again.
    /// </summary>
    ThrottlingOnly,
}
