using Microsoft.Extensions.Logging;
using OpenKbs.Api;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Regions;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Shared.Recipes;

/// <summary>
/// The reconcile recipe engine: runs steps in order and is the one place where exceptions become outcomes
/// (<see cref="FromException"/> for a step, <see cref="GuardAsync"/> for a whole pass). docs/architecture.md, "The reconcile recipe".
/// </summary>
internal static partial class Recipe
{
    /// <summary>The reason of a pass that lost a status write to a newer copy of the object (it is run again at once).</summary>
    public const string StatusConflict = "StatusConflict";

    /// <summary>Runs <paramref name="steps"/> in order into <paramref name="pass"/>, until one stops the pass.</summary>
    public static async Task RunStepsAsync<TContext>(
        IEnumerable<IRecipeStep<TContext>> steps, TContext context, PassRecord<TContext> pass, ILogger logger, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(pass);
        foreach (var step in steps)
        {
            var outcome = await RunStepAsync(step.Name, () => step.RunAsync(context, cancellationToken), logger, key);
            File(context, step.Name, outcome);
            pass.Runs.Add(new StepRun<TContext>(step, outcome));
            if (outcome.StopsPass)
            {
                break;
            }
        }
    }

    /// <summary>Files the facts a step returned with its outcome, for the later steps of the pass.</summary>
    private static void File<TContext>(TContext context, string step, StepOutcome outcome)
    {
        if (outcome.Facts.Count == 0)
        {
            return;
        }

        if (context is not IHasFacts holder)
        {
            throw new InvalidOperationException($"step {step} returned facts, but a {typeof(TContext).Name} keeps none");
        }

        foreach (var fact in outcome.Facts)
        {
            holder.Facts.Add(fact);
        }
    }

    /// <summary>Runs one step body; an AWS failure it did not handle becomes its outcome.</summary>
    public static async Task<StepOutcome> RunStepAsync(string name, Func<Task<StepOutcome>> body, ILogger logger, string key)
    {
        ArgumentNullException.ThrowIfNull(body);
        StepOutcome outcome;
        try
        {
            outcome = await body();
        }
        catch (AwsServiceException ex)
        {
            outcome = FromException(ex);
        }

        LogStep(logger, key, name, outcome.ToString());
        return outcome;
    }

    /// <summary>
    /// An AWS failure no step handled: terminal only when AWS (or the EU guard) says retrying the same request cannot succeed;
    /// throttling, 5xx, timeouts, conflicts and not-found become transient (per-object backoff). A step that catches a failure
    /// to clean up first (release a slot, clear a marker) maps it here too: <paramref name="known"/> names the precise Terminal*
    /// reason and message of the refusals it knows (null: not one of them), any other terminal refusal gets
    /// <paramref name="terminalReason"/> and <see cref="TerminalMessage"/>; the EU guard always wins.
    /// </summary>
    public static StepOutcome FromException(
        AwsServiceException exception, string terminalReason = ConditionReasons.TerminalAwsError, Func<AwsServiceException, (string Reason, string Message)?>? known = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.ErrorCode == RegionNotAllowedException.Code)
        {
            return StepOutcome.Terminal(ConditionReasons.TerminalRegionNotAllowed, exception.Message);
        }

        if (known?.Invoke(exception) is var (reason, message))
        {
            return StepOutcome.Terminal(reason, message);
        }

        var why = exception.Reason is null ? string.Empty : $" ({exception.Reason})";
        return exception.Classification == AwsErrorClassification.Terminal
            ? StepOutcome.Terminal(terminalReason, TerminalMessage(exception))
            : StepOutcome.Transient($"{exception.Service}:{exception.Operation} failed with {exception.ErrorCode}{why}; retrying with backoff", exception);
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

    /// <summary>
    /// Runs a whole pass: an AWS failure becomes its outcome, a refused status write (the object changed meanwhile) runs the
    /// pass again at once (or ends it when the object is gone), an unreachable audit trail is transient with its own reason, anything else is logged and transient.
    /// </summary>
    public static async Task<ReconcileResult> GuardAsync(Func<Task<ReconcileResult>> pass, ILogger logger, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        try
        {
            return await pass();
        }
        catch (AwsServiceException ex)
        {
            return FromException(ex).ToResult();
        }
        catch (AuditTrailUnavailableException ex)
        {
            // The durable audit trail could not record a change before it was sent, so nothing was sent: retried with
            // backoff, reason AuditTrailUnavailable, until the store answers again (fail closed).
            return ReconcileResult.Transient(AuditTrailUnavailableException.Reason, ex);
        }
        catch (StatusConflictException ex)
        {
            return ex.Gone ? ReconcileResult.Done() : ReconcileResult.RequeueAfter(TimeSpan.Zero, StatusConflict);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogUnexpected(logger, key, ex);
            return ReconcileResult.Transient(ConditionReasons.TransientError, ex);
        }
    }

    /// <summary>Terminal wins, then transient, then the shortest named wait; otherwise done until the next drift check.</summary>
    public static ReconcileResult Combine<TContext>(IReadOnlyList<StepRun<TContext>> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.FirstOrDefault(r => r.Outcome.Kind is StepOutcomeKind.Terminal or StepOutcomeKind.Transient) is { } stop)
        {
            return stop.Outcome.ToResult();
        }

        var waits = runs.Where(r => r.Outcome.Kind == StepOutcomeKind.Progressing).Select(r => r.Outcome).ToList();
        if (waits.FirstOrDefault(o => o.StopsPass) is { } halt)
        {
            return halt.ToResult();
        }

        var wait = waits.Where(o => o.Wait is not null).OrderBy(o => o.Wait).FirstOrDefault();
        return wait is null ? ReconcileResult.Done() : wait.ToResult();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Key}: unexpected failure; retrying")]
    private static partial void LogUnexpected(ILogger logger, string key, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Key}: step {Step}: {Outcome}")]
    private static partial void LogStep(ILogger logger, string key, string step, string outcome);
}
