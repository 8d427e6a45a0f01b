using System.Text;
using OpenKbs.Aws.Audit;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Shared;

/// <summary>
/// The audit trail as Kubernetes Events: every mutating AWS call becomes one Event on the object that caused it
/// (Normal on success, Warning on failure or refusal), reason <c>Aws&lt;Operation&gt;</c> (e.g. <c>AwsCreateAccount</c>),
/// message with action, resource, account, region, outcome, error code, request id and the sanitised details.
/// The record holds no secret by construction (allowlisted details, see <see cref="AuditDetails"/>); this sink adds none.
/// </summary>
internal sealed class KubernetesEventAuditSink(IEventRecorder events) : IAuditSink
{
    public ValueTask RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (AuditedObject.For(record.Actor) is { } target)
        {
            var type = record.Outcome == AuditOutcome.Success ? EventType.Normal : EventType.Warning;
            events.Record(target, type, Reason(record.Action), Message(record));
        }

        return ValueTask.CompletedTask;
    }

    /// <summary><c>organizations:CreateAccount</c> becomes <c>AwsCreateAccount</c>.</summary>
    internal static string Reason(string action)
    {
        var operation = action[(action.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var letters = new StringBuilder("Aws");
        foreach (var c in operation)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                letters.Append(c);
            }
        }

        return letters.ToString();
    }

    internal static string Message(AuditRecord record)
    {
        var text = new StringBuilder(record.Action);
        if (!string.IsNullOrEmpty(record.Resource))
        {
            text.Append(" on ").Append(record.Resource);
        }

        text.Append(" in ").Append(record.AccountId is null ? "the management account" : "account " + record.AccountId);
        text.Append(" (").Append(record.Region).Append("): ").Append(record.Outcome);
        if (!string.IsNullOrEmpty(record.ErrorCode))
        {
            text.Append(' ').Append(record.ErrorCode);
        }

        if (!string.IsNullOrEmpty(record.RequestId))
        {
            text.Append("; request id ").Append(record.RequestId);
        }

        if (record.Details.Count > 0)
        {
            text.Append("; ").AppendJoin(", ", record.Details.Select(d => $"{d.Key}={d.Value}"));
        }

        text.Append("; from ").Append(record.SourceIp);
        return text.ToString();
    }
}
