namespace OpenKbs.Aws.Audit;

/// <summary>
/// Records a change the operator makes outside AWS (e.g. deleting the plaintext API keys from a Kubernetes Secret) in the same
/// audit trail as its AWS calls: the intent before the change (when the journal cannot record it, the change is not made), the
/// outcome after, with the operator's source address. The details must hold no secret.
/// </summary>
public interface IChangeAudit
{
    /// <summary>Runs <paramref name="change"/> between its recorded intent and outcome (<see cref="AuditOutcome.Failure"/> with the
    /// exception's type name as error code when it throws, and the exception goes on). The action is <c>service:Operation</c>, e.g.
    /// <c>kubernetes:DeleteSecretData</c>.</summary>
    Task<T> RecordAsync<T>(
        string action, string resource, IReadOnlyDictionary<string, string> details, AwsActor actor, string? accountId, string region,
        Func<CancellationToken, Task<T>> change, CancellationToken cancellationToken);
}

/// <summary><see cref="IChangeAudit"/> over the AWS layer's <see cref="AuditTrail"/>.</summary>
internal sealed class ChangeAudit(AuditTrail trail, ISourceAddressProvider sourceAddress, TimeProvider clock) : IChangeAudit
{
    public async Task<T> RecordAsync<T>(
        string action, string resource, IReadOnlyDictionary<string, string> details, AwsActor actor, string? accountId, string region,
        Func<CancellationToken, Task<T>> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var intent = await trail.BeginAsync(Record(AuditOutcome.Pending, null, 0), cancellationToken);
        T result;
        try
        {
            result = await change(cancellationToken);
        }
        catch (Exception ex)
        {
            await trail.RecordAsync(Record(AuditOutcome.Failure, ex.GetType().Name, 1), CancellationToken.None, intent);
            throw;
        }

        await trail.RecordAsync(Record(AuditOutcome.Success, null, 1), CancellationToken.None, intent);
        return result;

        AuditRecord Record(string outcome, string? errorCode, int attempts) => new()
        {
            Time = clock.GetUtcNow(),
            Action = action,
            Resource = resource,
            Details = details,
            Actor = actor,
            SourceIp = sourceAddress.SourceAddress,
            AccountId = accountId,
            Region = region,
            Outcome = outcome,
            ErrorCode = errorCode,
            Attempts = attempts,
        };
    }
}
