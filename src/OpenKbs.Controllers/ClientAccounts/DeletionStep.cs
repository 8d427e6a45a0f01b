using Microsoft.Extensions.Options;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// When the object is being deleted. A CreateAccount request still in flight is waited out first (an account
/// must never be orphaned). Then deletionPolicy: Retain (default) tags the account <c>openkbs.com/released</c>, records
/// status.releasedAt and leaves everything else untouched; Close calls CloseAccount and waits until AWS reports the
/// account SUSPENDED or CLOSED. No account ever created: the finalizer just goes.
/// </summary>
internal sealed class DeletionStep(CreateRequestTracker tracker, CreationQueue queue, IOptions<ClientAccountOptions> options)
{
    public async Task<ReconcileResult> RunAsync(AccountPass pass, Func<CancellationToken, Task> removeFinalizer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(removeFinalizer);
        var status = pass.Status;
        queue.Forget(pass.Uid);
        if (status.AccountId is null && (status.CreateAccountRequestId is not null || status.CreateAccountStartedAt is not null))
        {
            var tracked = await tracker.TrackAsync(pass, cancellationToken);
            if (tracked.Kind == TrackKind.InProgress)
            {
                status.State = AccountState.Creating;
                Deleting(pass, $"waiting for CreateAccount request {tracked.RequestId} to finish before applying deletionPolicy {pass.Spec.DeletionPolicy}: an account is never orphaned");
                return ReconcileResult.RequeueAfter(options.Value.WaitWhileAccountCreating, "WaitingForAccountCreation");
            }
        }

        if (status.AccountId is not { } accountId)
        {
            queue.Release(pass.Uid);
            pass.Event(EventType.Normal, "NoAccountToRelease", "no AWS account was created or adopted for this ClientAccount; nothing to release");
            await removeFinalizer(cancellationToken);
            return ReconcileResult.Done();
        }

        return pass.Spec.DeletionPolicy == AccountDeletionPolicy.Close
            ? await CloseAsync(pass, accountId, removeFinalizer, cancellationToken)
            : await RetainAsync(pass, accountId, removeFinalizer, cancellationToken);
    }

    private static async Task<ReconcileResult> RetainAsync(AccountPass pass, string accountId, Func<CancellationToken, Task> removeFinalizer, CancellationToken cancellationToken)
    {
        var status = pass.Status;
        IReadOnlyList<Tag> tags;
        try
        {
            tags = (await pass.Organizations.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceId = accountId }, cancellationToken)).Tags;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return await GoneAsync(pass, accountId, removeFinalizer, cancellationToken);
        }

        var releasedAt = tags.FirstOrDefault(t => t.Key == Labels.Released)?.Value;
        if (releasedAt is null)
        {
            releasedAt = pass.Now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            await pass.Organizations.TagResourceAsync(
                new TagResourceRequest { ResourceId = accountId, Tags = [new Tag { Key = Labels.Released, Value = releasedAt }] }, cancellationToken);
        }

        status.ReleasedAt ??= UtcTimes.ToStatus(pass.Now);
        var message = $"account {accountId} was released untouched (tagged {Labels.Released}={releasedAt}); deletionPolicy Retain";
        pass.SetCondition(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.Released, message);
        await pass.SaveStatusAsync(cancellationToken);
        pass.Event(EventType.Normal, "AccountReleased", message);
        await removeFinalizer(cancellationToken);
        return ReconcileResult.Done();
    }

    private async Task<ReconcileResult> CloseAsync(AccountPass pass, string accountId, Func<CancellationToken, Task> removeFinalizer, CancellationToken cancellationToken)
    {
        var status = pass.Status;
        if (status.State != AccountState.Closing)
        {
            try
            {
                await pass.Organizations.CloseAccountAsync(new CloseAccountRequest { AccountId = accountId }, cancellationToken);
            }
            catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.AccountAlreadyClosedException)
            {
                return await ClosedAsync(pass, accountId, removeFinalizer, cancellationToken);
            }
            catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.AccountNotFoundException)
            {
                return await GoneAsync(pass, accountId, removeFinalizer, cancellationToken);
            }
            catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.ConflictException)
            {
                // AWS is already closing it.
            }

            status.State = AccountState.Closing;
            Deleting(pass, $"CloseAccount requested for account {accountId}; waiting until AWS reports it SUSPENDED or CLOSED", ConditionReasons.Closing);
            await pass.SaveStatusAsync(cancellationToken);
            pass.Event(EventType.Normal, "AccountClosing", $"CloseAccount requested for account {accountId} (deletionPolicy Close); AWS keeps it suspended for 90 days");
            return ReconcileResult.RequeueAfter(options.Value.WaitWhileClosing, ConditionReasons.Closing);
        }

        Account? account;
        try
        {
            account = (await pass.Organizations.DescribeAccountAsync(new DescribeAccountRequest { AccountId = accountId }, cancellationToken)).Account;
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.AccountNotFoundException)
        {
            return await GoneAsync(pass, accountId, removeFinalizer, cancellationToken);
        }

        if (AccountStates.IsClosed(account?.State, account?.Status))
        {
            return await ClosedAsync(pass, accountId, removeFinalizer, cancellationToken);
        }

        // PENDING_CLOSURE, or still ACTIVE for a while after CloseAccount (eventual consistency).
        Deleting(pass, $"AWS is closing account {accountId} ({account?.State ?? account?.Status ?? "unknown"})", ConditionReasons.Closing);
        return ReconcileResult.RequeueAfter(options.Value.WaitWhileClosing, ConditionReasons.Closing);
    }

    private static async Task<ReconcileResult> ClosedAsync(AccountPass pass, string accountId, Func<CancellationToken, Task> removeFinalizer, CancellationToken cancellationToken)
    {
        pass.Status.State = AccountState.Closed;
        pass.Event(EventType.Normal, "AccountClosed", $"AWS closed account {accountId}; it stays suspended for 90 days, then is gone for good");
        await removeFinalizer(cancellationToken);
        return ReconcileResult.Done();
    }

    private static async Task<ReconcileResult> GoneAsync(AccountPass pass, string accountId, Func<CancellationToken, Task> removeFinalizer, CancellationToken cancellationToken)
    {
        pass.Event(EventType.Normal, "AccountGone", $"account {accountId} is no longer in the organization; nothing to release");
        await removeFinalizer(cancellationToken);
        return ReconcileResult.Done();
    }

    private static void Deleting(AccountPass pass, string message, string reason = ConditionReasons.Deleting) =>
        pass.SetCondition(ConditionTypes.Ready, ConditionStatus.False, reason, message);
}
