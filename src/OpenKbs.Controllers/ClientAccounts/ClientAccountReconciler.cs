using Microsoft.Extensions.Logging;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.Core;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// The ClientAccount recipe: deletion, finalizer, validation, account, placement, guardrails, access; every exit path
/// concludes the conditions (try/finally) and the runtime publishes status once. Outcomes are values.
/// </summary>
internal sealed partial class ClientAccountReconciler(
    IAwsClientFactory aws,
    IStatusStore<ClientAccount> store,
    DeletionStep deletion,
    ValidationStep validation,
    AccountStep account,
    CreateRequestTracker tracker,
    PlacementStep placement,
    GuardrailStep guardrails,
    AccessStep access,
    ILogger<ClientAccountReconciler> logger) : IReconciler<ClientAccount>
{
    public async Task<ReconcileResult> ReconcileAsync(ClientAccount resource, ReconcileContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(context);
        var actor = AwsActors.For(resource, ClientAccountController.ControllerName);
        var pass = new AccountPass(
            resource,
            aws.ForManagement(actor).Organizations,
            store,
            context.Clock,
            context.RecordEvent,
            context.Trigger);
        var result = ReconcileResult.Transient(ConditionReasons.TransientError, "the pass did not finish");
        try
        {
            result = await RunAsync(pass, context, cancellationToken);
        }
        catch (AwsServiceException ex)
        {
            result = AwsOutcomes.From(ex);
        }
        catch (StatusConflictException ex)
        {
            // The object changed under us (or vanished): nothing unsafe was done after the refused write; look again.
            result = ex.Gone ? ReconcileResult.Done() : ReconcileResult.RequeueAfter(TimeSpan.Zero, AccountReasons.StatusConflict);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogUnexpected(logger, context.Key.ToString(), ex);
            result = ReconcileResult.Transient(ConditionReasons.TransientError, ex);
        }
        finally
        {
            if (!context.ObjectRemoved && !context.IsDeleting)
            {
                Readiness.Conclude(pass, result);
            }
        }

        return result;
    }

    private async Task<ReconcileResult> RunAsync(AccountPass pass, ReconcileContext context, CancellationToken cancellationToken)
    {
        var status = pass.Status;
        if (status.AccountId is null && !await pass.RefreshAsync(cancellationToken))
        {
            // Decisions about CreateAccount rest on the API server's copy, never on a lagging cache.
            return ReconcileResult.RequeueAfter(TimeSpan.Zero, AccountReasons.SpecChanged);
        }

        if (context.IsDeleting)
        {
            return context.HasFinalizer(Finalizers.Default)
                ? await deletion.RunAsync(pass, ct => context.RemoveFinalizerAsync(Finalizers.Default, ct), cancellationToken)
                : ReconcileResult.Done();
        }

        await context.AddFinalizerAsync(Finalizers.Default, cancellationToken);

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
