using Microsoft.Extensions.Options;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// Follows a ClientAccount's CreateAccount request: polls DescribeCreateAccountStatus for the persisted request id, or
/// (marker without id: the process died around CreateAccount) finds the request among AWS's create-account statuses
/// and persists its id first. On SUCCEEDED it records the account and frees the creation slot; on FAILED it frees the
/// slot and drops the request so the caller decides. Used by the account step and by deletion (which must wait out a
/// request in flight rather than orphan an account).
/// </summary>
internal sealed class CreateRequestTracker(CreationQueue queue, IOptions<ClientAccountOptions> options)
{
    public async Task<TrackResult> TrackAsync(AccountPass pass, CancellationToken cancellationToken)
    {
        var status = pass.Status;
        if (status.CreateAccountRequestId is null && status.CreateAccountStartedAt is { } marker)
        {
            var found = await RecoverAsync(pass, marker, cancellationToken);
            if (found?.Id is null)
            {
                // Nothing of ours reached AWS: the slot taken for it is free again. The marker stays until the next attempt rewrites it.
                queue.Release(pass.Uid);
                return new TrackResult(TrackKind.None);
            }

            status.CreateAccountRequestId = found.Id;
            await pass.SaveStatusAsync(cancellationToken);
            pass.Event(EventType.Normal, "CreateAccountRecovered",
                $"found CreateAccount request {found.Id} ({found.State}) sent before a restart; following it instead of sending another");
        }

        if (status.CreateAccountRequestId is not { } requestId)
        {
            return new TrackResult(TrackKind.None);
        }

        CreateAccountStatus? state;
        try
        {
            state = (await pass.Organizations.DescribeCreateAccountStatusAsync(
                new DescribeCreateAccountStatusRequest { CreateAccountRequestId = requestId }, cancellationToken)).CreateAccountStatus;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            // AWS does not know this id: nothing is in flight under it. Keep the marker so a request sent under another id is still found.
            status.CreateAccountRequestId = null;
            queue.Release(pass.Uid);
            await pass.SaveStatusAsync(cancellationToken);
            pass.Event(EventType.Warning, "CreateAccountRequestUnknown", $"AWS does not know CreateAccount request {requestId}; looking again");
            return new TrackResult(TrackKind.None);
        }

        switch (state?.State)
        {
            case "SUCCEEDED" when state.AccountId is not null:
                return await RecordAsync(pass, requestId, state.AccountId, cancellationToken);
            case "FAILED":
                queue.Release(pass.Uid);
                status.CreateAccountRequestId = null;
                status.CreateAccountStartedAt = null;
                return new TrackResult(TrackKind.Failed, requestId, state.FailureReason);
            default:
                queue.Hold(pass.Resource, requestId);
                return new TrackResult(TrackKind.InProgress, requestId);
        }
    }

    private async Task<TrackResult> RecordAsync(AccountPass pass, string requestId, string accountId, CancellationToken cancellationToken)
    {
        Account? account;
        try
        {
            account = (await pass.Organizations.DescribeAccountAsync(new DescribeAccountRequest { AccountId = accountId }, cancellationToken)).Account;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            // Eventual consistency right after SUCCEEDED: look again shortly.
            queue.Hold(pass.Resource, requestId);
            return new TrackResult(TrackKind.InProgress, requestId);
        }

        var status = pass.Status;
        if (account is null || !string.Equals(account.Email, pass.Spec.Email, StringComparison.OrdinalIgnoreCase))
        {
            // A request found by name belonged to another ClientAccount with the same display name: not ours.
            status.CreateAccountRequestId = null;
            status.CreateAccountStartedAt = null;
            queue.Release(pass.Uid);
            await pass.SaveStatusAsync(cancellationToken);
            pass.Event(EventType.Warning, "CreateAccountNotOurs",
                $"CreateAccount request {requestId} created account {accountId} for another email; it is not this ClientAccount's, looking again");
            return new TrackResult(TrackKind.None);
        }

        status.AccountId = account.Id;
        status.AccountArn = account.Arn;
        status.Adopted = false;
        status.CreateAccountStartedAt = null;
        status.QueuePosition = null;
        status.State = AccountStates.FromAws(account.State, account.Status);

        // Free the slot before the checkpoint: its watch event is what wakes the queue.
        queue.Release(pass.Uid);
        await pass.SaveStatusAsync(cancellationToken);
        pass.Event(EventType.Normal, "AccountCreated", $"AWS created account {account.Id} for {account.Email} (request {requestId})");
        return new TrackResult(TrackKind.Succeeded, requestId);
    }

    private async Task<CreateAccountStatus?> RecoverAsync(AccountPass pass, DateTime marker, CancellationToken cancellationToken)
    {
        var statuses = (await pass.Organizations.ListCreateAccountStatusAsync(new ListCreateAccountStatusRequest(), cancellationToken)).CreateAccountStatuses;
        var since = UtcTimes.From(marker);
        return CreateRequestMatcher.Find(statuses, pass.AccountName, since, options.Value.RequestTimestampTolerance);
    }
}
