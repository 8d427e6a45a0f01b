using Microsoft.Extensions.Logging;
using OpenKbs.Api;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Core;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// The ClientAccount recipe: (1) deletion or finalizer, (2) validation, (3) account, (4) placement, (5) guardrails,
/// (6) access; (7) drift is the same list on every pass. Every exit path concludes the conditions (try/finally);
/// the runtime publishes status once. Outcomes are values; exceptions become transient outcomes here.
/// </summary>
internal sealed partial class ClientAccountRecipe(
    DeletionStep deletion,
    ValidationStep validation,
    AccountStep account,
    CreateRequestTracker tracker,
    PlacementStep placement,
    GuardrailStep guardrails,
    AccessStep access,
    ILogger<ClientAccountRecipe> logger)
{
    public async Task<ReconcileResult> RunAsync(AccountPass pass, IFinalizerHandle finalizer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(finalizer);
        var result = ReconcileResult.Transient(ConditionReasons.TransientError, "the pass did not finish");
        try
        {
            result = await StepsAsync(pass, finalizer, cancellationToken);
        }
        catch (AwsServiceException ex)
        {
            result = AwsOutcomes.From(ex);
        }
        catch (AuditTrailUnavailableException ex)
        {
            result = AwsOutcomes.From(ex);
        }
        catch (StatusConflictException ex)
        {
            // The object changed under us (or vanished): nothing was sent after the refused write; look again.
            result = ex.Gone ? ReconcileResult.Done() : ReconcileResult.RequeueAfter(TimeSpan.Zero, AccountReasons.StatusConflict);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogUnexpected(logger, pass.Key.ToString(), ex);
            result = ReconcileResult.Transient(ConditionReasons.TransientError, ex);
        }
        finally
        {
            if (!finalizer.ObjectRemoved && !finalizer.IsDeleting)
            {
                Readiness.Conclude(pass, result);
            }
        }

        return result;
    }

    private async Task<ReconcileResult> StepsAsync(AccountPass pass, IFinalizerHandle finalizer, CancellationToken cancellationToken)
    {
        var status = pass.Status;
        if (status.AccountId is null && !await pass.RefreshAsync(cancellationToken))
        {
            // Decisions about CreateAccount rest on the API server's copy, never on a lagging cache.
            return ReconcileResult.RequeueAfter(TimeSpan.Zero, AccountReasons.SpecChanged);
        }

        if (finalizer.IsDeleting)
        {
            return finalizer.IsPresent ? await deletion.RunAsync(pass, finalizer.RemoveAsync, cancellationToken) : ReconcileResult.Done();
        }

        await finalizer.AddAsync(cancellationToken);

        var validated = validation.Run(pass);
        if (!validated.IsContinue)
        {
            if (status.AccountId is null && (status.CreateAccountRequestId is not null || status.CreateAccountStartedAt is not null))
            {
                // Even a refused spec must not strand a request in flight: follow it so the account is recorded and the slot freed.
                await tracker.TrackAsync(pass, cancellationToken);
            }

            return validated.Stop!;
        }

        foreach (var step in new Func<AccountPass, CancellationToken, Task<StepResult>>[] { account.RunAsync, placement.RunAsync, guardrails.RunAsync, access.RunAsync })
        {
            var outcome = await step(pass, cancellationToken);
            if (!outcome.IsContinue)
            {
                return outcome.Stop!;
            }
        }

        return ReconcileResult.Done();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "ClientAccount {Key}: unexpected failure; retrying")]
    private static partial void LogUnexpected(ILogger logger, string key, Exception exception);
}
