using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Organizations;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Aws.Resilience;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// the account exists. Order matters for crash safety (docs/clientaccount.md has the table of crash instants):
/// an account in status is observed; a request in flight (id or marker) is followed before anything else, even when
/// adoptAccountId was added meanwhile; adoption takes over an existing member account; otherwise an account with this
/// email is looked for (ours from an earlier attempt is taken silently), then the queue decides, and only then is the
/// marker persisted, CreateAccount sent (carrying the owner tags) and its request id persisted at once.
/// </summary>
internal sealed partial class AccountStep(
    CreationQueue queue,
    CreateRequestTracker tracker,
    IResourceCache<ClientAccount> cache,
    IOptions<ClientAccountOptions> options,
    ILogger<AccountStep> logger) : IRecipeStep<AccountPass>
{
    public string Name => "account";

    public string? ConditionType => ConditionTypes.AccountCreated;

    private ClientAccountOptions Options => options.Value;

    public async Task<StepOutcome> RunAsync(AccountPass pass, CancellationToken cancellationToken)
    {
        var status = pass.Status;
        if (status.AccountId is null && (status.CreateAccountRequestId is not null || status.CreateAccountStartedAt is not null))
        {
            var tracked = await tracker.TrackAsync(pass, cancellationToken);
            switch (tracked.Kind)
            {
                case TrackKind.InProgress:
                    return Creating(pass, tracked.RequestId);
                case TrackKind.Failed:
                    return await FailedAsync(pass, tracked, cancellationToken);
            }
        }

        if (status.AccountId is not null)
        {
            return await ObserveAsync(pass, cancellationToken);
        }

        if (pass.Spec.AdoptAccountId is { } adopt)
        {
            var adopted = await AdoptAsync(pass, adopt, cancellationToken);
            return adopted.StopsPass is false ? await ObserveAsync(pass, cancellationToken) : adopted;
        }

        var created = await CreateOrQueueAsync(pass, cancellationToken);
        return created.StopsPass is false && status.AccountId is not null ? await ObserveAsync(pass, cancellationToken) : created;
    }

    /// <summary>The account is known: read its state from AWS.</summary>
    private static async Task<StepOutcome> ObserveAsync(AccountPass pass, CancellationToken cancellationToken)
    {
        var status = pass.Status;
        var accountId = status.AccountId!;
        Account account;
        try
        {
            account = (await pass.Organizations.DescribeAccountAsync(new DescribeAccountRequest { AccountId = accountId }, cancellationToken)).Account
                ?? throw new AwsServiceException("organizations", "DescribeAccount", "EmptyResponse", "no account in the answer", 0, null, AwsErrorClassification.Transient);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.AccountNotFoundException)
        {
            status.State = AccountState.Failed;
            var message = $"account {accountId} is no longer in the organization (AccountNotFound): it was removed or transferred outside the operator. "
                + "Delete this ClientAccount (nothing will be touched in AWS), or point it at another account with a new object";
            pass.SetCondition(ConditionTypes.AccountCreated, ConditionStatus.False, ConditionReasons.TerminalNotInOrganization, message);
            return StepOutcome.Terminal(ConditionReasons.TerminalNotInOrganization, message);
        }

        status.AccountArn ??= account.Arn;
        status.QueuePosition = null;
        var state = AccountStates.FromAws(account.State, account.Status);
        status.State = state;
        var adopted = status.Adopted == true;
        switch (state)
        {
            case AccountState.Active:
                pass.SetCondition(ConditionTypes.AccountCreated, ConditionStatus.True, adopted ? ConditionReasons.Adopted : ConditionReasons.Available,
                    $"account {account.Id} ({account.Email}) is ACTIVE{(adopted ? ", adopted through adoptAccountId" : string.Empty)}");
                return StepOutcome.Continue;
            case AccountState.Creating:
                pass.SetCondition(ConditionTypes.AccountCreated, ConditionStatus.False, ConditionReasons.Creating, $"account {account.Id} is still being activated by AWS");
                return StepOutcome.Halt(ClientAccountWaits.WaitWhileAccountCreating, ConditionReasons.WaitingForAws);
            default:
                var reason = state is AccountState.Suspended ? AccountReasons.AccountSuspended : AccountReasons.AccountClosed;
                pass.SetCondition(ConditionTypes.AccountCreated, ConditionStatus.False, reason,
                    $"AWS reports account {account.Id} {account.State ?? account.Status}; the operator changes nothing in a closed or suspended account");
                return StepOutcome.Halt(null, reason);
        }
    }

    private async Task<StepOutcome> AdoptAsync(AccountPass pass, string accountId, CancellationToken cancellationToken)
    {
        queue.Forget(pass.Uid);
        Account account;
        try
        {
            account = (await pass.Organizations.DescribeAccountAsync(new DescribeAccountRequest { AccountId = accountId }, cancellationToken)).Account!;
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.AccountNotFoundException)
        {
            return Failed(pass, ConditionReasons.TerminalNotInOrganization,
                $"adoptAccountId {accountId} is not an account of this organization (AccountNotFound). Adoption only takes over member accounts: "
                + "invite the account into the organization first, or correct adoptAccountId (aws organizations list-accounts shows them); nothing was changed");
        }

        if (!string.Equals(account.Email, pass.Spec.Email, StringComparison.OrdinalIgnoreCase))
        {
            return Failed(pass, ConditionReasons.TerminalInvalidSpec,
                $"spec.email {pass.Spec.Email} differs from the root email of account {accountId} ({account.Email}); set spec.email to the account's email to adopt it (a new object: email is immutable); nothing was changed");
        }

        var tags = await TagsAsync(pass, accountId, cancellationToken);
        if (OwnedByOther(pass, tags) is { } other)
        {
            return Failed(pass, ConditionReasons.TerminalOwnershipConflict,
                $"account {accountId} is managed by {other} (tag {Labels.Uid}={tags[Labels.Uid]}); one tenant must never reach another's account. "
                + $"If that owner is gone for good, remove the {Labels.Uid} tag from the account (or tag it {Labels.Released}) and request a reconcile; nothing was changed");
        }

        var status = pass.Status;
        status.AccountId = account.Id;
        status.AccountArn = account.Arn;
        status.Adopted = true;
        status.State = AccountStates.FromAws(account.State, account.Status);
        await pass.SaveStatusAsync(cancellationToken);
        pass.Event(EventType.Normal, "AccountAdopted", $"took over existing account {account.Id} ({account.Email}) through adoptAccountId");
        return StepOutcome.Continue;
    }

    private async Task<StepOutcome> CreateOrQueueAsync(AccountPass pass, CancellationToken cancellationToken)
    {
        if (!cache.HasSynced)
        {
            return StepOutcome.Halt(TimeSpan.FromSeconds(1), AccountReasons.CacheNotSynced);
        }

        // First look (or a re-check after a terminal failure). An object that may create now has its email checked
        // under the lock right before CreateAccount; one that has to wait is told early when its email is taken, after
        // the lock, so the calls of a slot's hand-over never queue behind these reads.
        var firstLook = pass.Status.State is null or AccountState.Pending or AccountState.Failed;
        StepOutcome result;
        CreateAccountStatus? created;
        using (await queue.LockAsync(cancellationToken))
        using (AwsPriority.Urgent())
        {
            // The hand-over of a creation slot: its AWS calls go before background reads waiting for the same
            // Organizations rate budget (drift checks, placement of finished accounts), or a freed slot idles behind them.
            (result, created) = await DecideAndCreateAsync(pass, firstLook, cancellationToken);
        }

        if (created is not null)
        {
            // The request id is written after the lock: the slot is held in memory already and the persisted marker
            // covers a crash before this write, so the next ClientAccount in line need not wait for it.
            return await RecordRequestAsync(pass, created, cancellationToken);
        }

        if (firstLook && pass.Status.State == AccountState.Queued && await ExistingAccountAsync(pass, cancellationToken) is { } taken)
        {
            return taken;
        }

        return result;
    }

    /// <summary>
    /// Under the process-wide lock: decide, re-check AWS, write the marker, create. Returns AWS's answer when
    /// CreateAccount was accepted (its request id is then held in the queue, not yet persisted).
    /// </summary>
    private async Task<(StepOutcome Result, CreateAccountStatus? Created)> DecideAndCreateAsync(AccountPass pass, bool firstLook, CancellationToken cancellationToken)
    {
        var status = pass.Status;
        var all = cache.List();
        queue.RestoreOnce(all);
        queue.Reclaim(cache);
        var decision = queue.Decide(pass.Resource, all);
        if (decision.Position > queue.Capacity)
        {
            // Even with every slot free others come first: no need to ask AWS.
            return (Queued(pass, decision.QueuePosition, QueueMessage(decision), Options.WaitWhileQueued), null);
        }

        // AWS's own count: it frees a slot the moment a request finishes (before its owner polls), and counts requests
        // started outside the operator. Requests of ours it no longer lists as IN_PROGRESS have finished. A listing of
        // the last moments stands in when our own count already has a slot for this object (several slots freed at once).
        if (!decision.MayCreate || !queue.AwsCountIsFresh(pass.Now))
        {
            var inProgress = (await pass.Organizations.ListCreateAccountStatusAsync(
                new ListCreateAccountStatusRequest { States = ["IN_PROGRESS"] }, cancellationToken)).CreateAccountStatuses;
            queue.ReconcileWithAws(inProgress.Select(s => s.Id).OfType<string>(), pass.Now);
            decision = queue.Decide(pass.Resource, all);
        }

        if (!decision.MayCreate)
        {
            return (Queued(pass, decision.QueuePosition, QueueMessage(decision),
                decision.QueuePosition == 1 ? Options.WaitAtQueueHead : Options.WaitWhileQueued), null);
        }

        if (queue.InFlight + queue.OutsideInFlight >= queue.Capacity)
        {
            queue.MarkWaiting(pass.Resource);
            return (Queued(pass, 1,
                $"AWS reports {queue.InFlight + queue.OutsideInFlight} account creations in progress in the organization ({queue.OutsideInFlight} started outside this operator); waiting for one to finish",
                Options.WaitAtQueueHead), null);
        }

        // The email is looked up right before creating on the first look; an object that waited was looked up then
        // (after its queue decision) and needs it again only when this process or the cache shows another ClientAccount
        // with the same email past the queue. An account made meanwhile outside the operator is refused by AWS itself
        // (one account per email: EMAIL_ALREADY_EXISTS, which the failure path looks up and reports precisely).
        if (firstLook || queue.EmailClaimedByOther(pass.Uid, pass.Spec.Email, all))
        {
            var existing = await ExistingAccountAsync(pass, cancellationToken);
            if (existing is { } found)
            {
                return (found, null);
            }
        }

        if (!queue.TryAcquire(pass.Resource))
        {
            return (Queued(pass, 1, "waiting for a free account-creation slot", Options.WaitAtQueueHead), null);
        }

        // 1. The marker, persisted before anything is sent: a crash from here on is recovered by looking in AWS.
        status.CreateAccountStartedAt = UtcTimes.ToStatus(pass.Now);
        status.CreateAccountRequestId = null;
        status.State = AccountState.Creating;
        status.QueuePosition = null;
        pass.SetCondition(ConditionTypes.AccountCreated, ConditionStatus.False, ConditionReasons.Creating, $"sending CreateAccount for {pass.Spec.Email}");
        try
        {
            await pass.SaveStatusAsync(cancellationToken);
        }
        catch
        {
            queue.Release(pass.Uid);
            throw;
        }

        // 2. CreateAccount, carrying the owner tags so a created account is always recognisable.
        CreateAccountStatus created;
        try
        {
            created = (await pass.Organizations.CreateAccountAsync(
                new CreateAccountRequest
                {
                    Email = pass.Spec.Email,
                    AccountName = pass.AccountName,
                    RoleName = pass.Spec.AccessRoleName,
                    IamUserAccessToBilling = "DENY",
                    Tags = [.. AccountTags.Desired(pass).Select(t => new Tag { Key = t.Key, Value = t.Value })],
                },
                cancellationToken)).CreateAccountStatus
                ?? throw new AwsServiceException("organizations", "CreateAccount", "EmptyResponse", "no CreateAccountStatus in the answer", 0, null, AwsErrorClassification.Transient);
        }
        catch (AwsServiceException ex) when (ex.Classification != AwsErrorClassification.Transient)
        {
            // AWS answered with a refusal: nothing was created. (A transient failure may hide a created request: keep marker and slot, the next pass looks.)
            queue.Release(pass.Uid);
            status.CreateAccountStartedAt = null;
            return (Refused(pass, ex), null);
        }

        queue.Hold(pass.Resource, created.Id);
        return (StepOutcome.Continue, created);
    }

    /// <summary>3. The request id, persisted at once in its own write.</summary>
    private async Task<StepOutcome> RecordRequestAsync(AccountPass pass, CreateAccountStatus created, CancellationToken cancellationToken)
    {
        pass.Status.CreateAccountRequestId = created.Id;
        try
        {
            await pass.SaveStatusAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The id is still written with the pass's status; if that fails too, the marker leads the next pass to it.
            LogRequestIdNotSaved(logger, pass.Key.ToString(), created.Id ?? string.Empty, ex);
        }

        pass.Event(EventType.Normal, "CreatingAccount", $"CreateAccount request {created.Id} sent for {pass.Spec.Email} (account name '{pass.AccountName}')");
        var creating = Creating(pass, created.Id);

        // AWS answers IN_PROGRESS; an emulator that finishes at once is followed up without the poll wait.
        return created.State is "SUCCEEDED" or "FAILED" ? StepOutcome.Halt(TimeSpan.Zero, "AccountCreating") : creating;
    }

    /// <summary>
    /// An account with this email in the organization: ours (our uid tag: an earlier attempt created it) is taken over
    /// silently; anyone else's, or an untagged one, is refused with a terminal condition. Null when there is none.
    /// </summary>
    private async Task<StepOutcome?> ExistingAccountAsync(AccountPass pass, CancellationToken cancellationToken)
    {
        var accounts = (await pass.Organizations.ListAccountsAsync(new ListAccountsRequest(), cancellationToken)).Accounts;
        var match = accounts.FirstOrDefault(a => string.Equals(a.Email, pass.Spec.Email, StringComparison.OrdinalIgnoreCase));
        if (match?.Id is null)
        {
            return null;
        }

        var tags = await TagsAsync(pass, match.Id, cancellationToken);
        tags.TryGetValue(Labels.Uid, out var uid);
        if (string.Equals(uid, pass.Uid, StringComparison.Ordinal) && !tags.ContainsKey(Labels.Released))
        {
            var status = pass.Status;
            status.AccountId = match.Id;
            status.AccountArn = match.Arn;
            status.Adopted = false;
            status.CreateAccountRequestId = null;
            status.CreateAccountStartedAt = null;
            status.State = AccountStates.FromAws(match.State, match.Status);
            queue.Forget(pass.Uid);
            queue.Release(pass.Uid);
            await pass.SaveStatusAsync(cancellationToken);
            pass.Event(EventType.Normal, "AccountFound", $"account {match.Id} with email {match.Email} carries this ClientAccount's uid: an earlier attempt created it; managing it");
            return StepOutcome.Continue;
        }

        if (uid is not null && !tags.ContainsKey(Labels.Released))
        {
            tags.TryGetValue(Labels.Owner, out var owner);
            return Failed(pass, ConditionReasons.TerminalOwnershipConflict,
                $"account {match.Id} with email {match.Email} is managed by {owner ?? "another ClientAccount"} (tag {Labels.Uid}={uid}), not by this ClientAccount; "
                + "one tenant must never reach another's account. Use another email; nothing was created");
        }

        var released = tags.TryGetValue(Labels.Released, out var at) ? $" (released by {tags.GetValueOrDefault(Labels.Owner) ?? "a deleted ClientAccount"} at {at})" : string.Empty;
        return Failed(pass, ConditionReasons.TerminalEmailAlreadyExists,
            $"account {match.Id} of this organization already uses email {match.Email}{released}. "
            + $"To manage it with this ClientAccount set spec.adoptAccountId: \"{match.Id}\"; otherwise use another email. Nothing was created");
    }

    private async Task<StepOutcome> FailedAsync(AccountPass pass, TrackResult tracked, CancellationToken cancellationToken)
    {
        if (tracked.FailureReason == "EMAIL_ALREADY_EXISTS")
        {
            // After a crash a second request can fail this way because the first one created our account: take it.
            var existing = await ExistingAccountAsync(pass, cancellationToken);
            if (existing is { } found)
            {
                return found.StopsPass is false ? await ObserveAsync(pass, cancellationToken) : found;
            }
        }

        var failure = CreateAccountFailures.Map(tracked.FailureReason, pass.Spec.Email);
        if (failure.Retry)
        {
            pass.Status.State = AccountState.Queued;
            pass.SetCondition(ConditionTypes.AccountCreated, ConditionStatus.False, failure.Reason, failure.Message);
            pass.Event(EventType.Warning, "CreateAccountRetry", $"request {tracked.RequestId}: {failure.Message}");
            return StepOutcome.Halt(Options.WaitBeforeCreateRetry, "CreateAccountRetry");
        }

        pass.Event(EventType.Warning, "CreateAccountFailed", $"request {tracked.RequestId}: {failure.Message}");
        return Failed(pass, failure.Reason, failure.Message);
    }

    /// <summary>
    /// CreateAccount refused at once (nothing was created). A full organization waits at the head of the queue; every other
    /// refusal becomes an outcome in the engine (<see cref="Recipe.FromException"/>),
    /// worded precisely by <see cref="CreateAccountFailures.Refusal"/> where AWS names the cause: a terminal one fails the
    /// ClientAccount, any other (throttling, conflicts) queues it again and says so in AccountCreated.
    /// </summary>
    private StepOutcome Refused(AccountPass pass, AwsServiceException ex)
    {
        if (ex.Reason == ConstraintViolationReasons.AccountCreationRateLimitExceeded)
        {
            queue.MarkWaiting(pass.Resource);
            return Queued(pass, 1, $"AWS refused the creation: too many account creations in progress in the organization ({ex.Reason}); waiting",
                Options.WaitAtQueueHead);
        }

        var outcome = Recipe.FromException(ex, ConditionReasons.TerminalCreateAccountFailed, e => CreateAccountFailures.Refusal(e, pass.Spec.Email));
        if (outcome.Kind == StepOutcomeKind.Terminal)
        {
            return Failed(pass, outcome.Reason, outcome.Message);
        }

        pass.Status.State = AccountState.Queued;
        pass.SetCondition(ConditionTypes.AccountCreated, ConditionStatus.False, ConditionReasons.Queued, $"CreateAccount for {pass.Spec.Email} was not accepted, nothing was created: {outcome.Message}");
        return outcome;
    }

    private string QueueMessage(QueueDecision decision) =>
        $"waiting for one of the organization's {queue.Capacity} account-creation slots ({queue.InFlight} in flight, {decision.Waiting} waiting); queue position {decision.QueuePosition}";

    private StepOutcome Creating(AccountPass pass, string? requestId)
    {
        var status = pass.Status;
        status.State = AccountState.Creating;
        status.QueuePosition = null;
        queue.Forget(pass.Uid);
        pass.SetCondition(ConditionTypes.AccountCreated, ConditionStatus.False, ConditionReasons.Creating,
            requestId is null ? "CreateAccount was sent; its outcome is being looked up" : $"AWS is creating the account (request {requestId})");
        return StepOutcome.Halt(Options.WaitWhileAccountCreating, "AccountCreating");
    }

    private static StepOutcome Queued(AccountPass pass, int position, string message, TimeSpan wait)
    {
        var status = pass.Status;
        var wasQueued = status.State == AccountState.Queued;
        status.State = AccountState.Queued;
        status.QueuePosition = position;
        pass.SetCondition(ConditionTypes.AccountCreated, ConditionStatus.False, ConditionReasons.Queued, message);
        if (!wasQueued)
        {
            pass.Event(EventType.Normal, "AccountQueued", message);
        }

        return StepOutcome.Halt(wait, ConditionReasons.Queued);
    }

    private StepOutcome Failed(AccountPass pass, string reason, string message)
    {
        queue.Forget(pass.Uid);
        pass.Status.State = AccountState.Failed;
        pass.Status.QueuePosition = null;
        pass.SetCondition(ConditionTypes.AccountCreated, ConditionStatus.False, reason, message);
        return StepOutcome.Terminal(reason, message);
    }

    private static async Task<Dictionary<string, string>> TagsAsync(AccountPass pass, string accountId, CancellationToken cancellationToken)
    {
        var tags = (await pass.Organizations.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceId = accountId }, cancellationToken)).Tags;
        return tags.GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
    }

    private static string? OwnedByOther(AccountPass pass, Dictionary<string, string> tags) =>
        tags.TryGetValue(Labels.Uid, out var uid) && !string.Equals(uid, pass.Uid, StringComparison.Ordinal) && !tags.ContainsKey(Labels.Released)
            ? tags.GetValueOrDefault(Labels.Owner) ?? "another ClientAccount"
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "CreateAccount request {RequestId} of {Key} was sent but its id could not be saved at once; the pass's final status write or the next pass's recovery keeps it")]
    private static partial void LogRequestIdNotSaved(ILogger logger, string key, string requestId, Exception exception);
}
