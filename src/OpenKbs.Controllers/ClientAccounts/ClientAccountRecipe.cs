using Microsoft.Extensions.Logging;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// The ClientAccount recipe: deletion or the finalizer; the validation gate; then the steps account, placement, guardrails and
/// access on the <see cref="Recipe"/> engine. Drift is the same recipe on every pass. <see cref="Readiness"/> concludes the
/// conditions on every exit path (finally), and IncidentOpen from the namespace's open incidents; the runtime publishes status once.
/// </summary>
internal sealed class ClientAccountRecipe(
    DeletionStep deletion,
    ValidationStep validation,
    AccountStep account,
    CreateRequestTracker tracker,
    PlacementStep placement,
    GuardrailStep guardrails,
    AccessStep access,
    ILogger<ClientAccountRecipe> logger,
    IncidentSignals? incidents = null)
{
    /// <summary>The name of the validation gate, in "blocked by" messages.</summary>
    public const string ValidationGate = "validation";

    /// <summary>The steps in recipe order.</summary>
    public IReadOnlyList<IRecipeStep<AccountPass>> Steps { get; } = [account, placement, guardrails, access];

    public async Task<ReconcileResult> RunAsync(AccountPass pass, IFinalizerHandle finalizer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(finalizer);
        var record = new PassRecord<AccountPass>();
        var result = ReconcileResult.Transient(Api.ConditionReasons.TransientError, "the pass did not finish");
        try
        {
            result = await Recipe.GuardAsync(() => StepsAsync(pass, record, finalizer, cancellationToken), logger, $"ClientAccount {pass.Key}", cancellationToken);
        }
        finally
        {
            if (!finalizer.ObjectRemoved && !finalizer.IsDeleting)
            {
                Readiness.Conclude(pass, Steps, record, result);
                if (incidents is not null && !cancellationToken.IsCancellationRequested)
                {
                    await incidents.ConcludeAsync(pass.Key.Namespace, pass.SetCondition, pass.Now, cancellationToken);
                }
            }
        }

        return result;
    }

    private async Task<ReconcileResult> StepsAsync(AccountPass pass, PassRecord<AccountPass> record, IFinalizerHandle finalizer, CancellationToken cancellationToken)
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
        if (validated.StopsPass)
        {
            if (status.AccountId is null && (status.CreateAccountRequestId is not null || status.CreateAccountStartedAt is not null))
            {
                // Even a refused spec must not strand a request in flight: follow it so the account is recorded and the slot freed.
                await tracker.TrackAsync(pass, cancellationToken);
            }

            record.Blocker = (ValidationGate, validated);
            return validated.ToResult();
        }

        await Recipe.RunStepsAsync(Steps, pass, record, logger, $"ClientAccount {pass.Key}", cancellationToken);
        return Recipe.Combine(record.Runs);
    }
}
