using OpenKbs.Api;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Core;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Shared;

/// <summary>
/// Turns an AWS failure that no step handled into a reconcile outcome: terminal only when AWS (or the EU guard) says
/// retrying the same request cannot succeed; throttling, 5xx, timeouts, conflicts and not-found become transient
/// (per-object backoff), so a transient error never leaves a terminal condition behind.
/// </summary>
public static class AwsOutcomes
{
    /// <summary>The outcome for <paramref name="exception"/>.</summary>
    public static ReconcileResult From(AwsServiceException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.ErrorCode == "RegionNotAllowed")
        {
            return ReconcileResult.Terminal(ConditionReasons.TerminalRegionNotAllowed, exception.Message);
        }

        return exception.Classification == AwsErrorClassification.Terminal
            ? ReconcileResult.Terminal(ConditionReasons.TerminalAwsError, TerminalMessage(exception))
            : ReconcileResult.Transient(ConditionReasons.TransientError, exception);
    }

    /// <summary>
    /// The durable audit trail could not record a change before it was sent, so nothing was sent: transient, reason
    /// <c>AuditTrailUnavailable</c>, retried with backoff until the store answers again.
    /// </summary>
    public static ReconcileResult From(AuditTrailUnavailableException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return ReconcileResult.Transient(AuditTrailUnavailableException.Reason, exception);
    }

    /// <summary>What a human reads for a terminal AWS error: the call, the code, AWS's words and what to do next.</summary>
    public static string TerminalMessage(AwsServiceException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var reason = exception.Reason is null ? string.Empty : $" ({exception.Reason})";
        var words = string.IsNullOrWhiteSpace(exception.AwsMessage) ? string.Empty : $": {exception.AwsMessage}";
        return $"{exception.Service}:{exception.Operation} was refused with {exception.ErrorCode}{reason}{words}. "
            + "Fix the cause, then change the spec or set the openkbs.com/reconcile-requested-at annotation to retry at once.";
    }
}
