using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws;
using OpenKbs.Aws.Core;
using OpenKbs.Controllers.ClientAccounts;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects;

/// <summary>
/// The Project recipe: (1) deletion (steps finalized in reverse order per <c>deletionPolicy</c>) or the finalizer, (2) the spec
/// rules, (3) the ClientAccount in the same namespace (wait until Ready), (4) the context gathered once, (5) the steps in the
/// order of <see cref="ProjectSteps"/>, each observing AWS and converging its component; a terminal or transient step stops the
/// pass, a progressing one does not. (6) <see cref="ProjectReadiness"/> concludes Ready, Synced and deployedVersion on every exit
/// path (finally); the runtime writes status once. Drift is the same recipe on every resync.
/// </summary>
internal sealed partial class ProjectRecipe(
    ProjectSteps steps,
    AccountResolver accounts,
    ProjectContextFactory contexts,
    IOptions<AwsOptions> aws,
    ProjectOptions options,
    ILogger<ProjectRecipe> logger)
{
    public async Task<ReconcileResult> RunAsync(
        Project project,
        IFinalizerHandle finalizer,
        TimeProvider clock,
        Action<EventType, string, string> recordEvent,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(finalizer);
        project.Status ??= new ProjectStatus();
        var pass = new PassRecord();
        var result = ReconcileResult.Transient(ConditionReasons.TransientError, "the pass did not finish");
        try
        {
            result = finalizer.IsDeleting
                ? await DeleteAsync(project, finalizer, clock, recordEvent, cancellationToken)
                : await ConvergeAsync(project, finalizer, clock, recordEvent, pass, cancellationToken);
        }
        catch (AwsServiceException ex)
        {
            result = AwsOutcomes.From(ex);
        }
        catch (StatusConflictException ex)
        {
            // The object changed under us (or vanished): look again with the latest copy.
            result = ex.Gone ? ReconcileResult.Done() : ReconcileResult.RequeueAfter(TimeSpan.Zero, ProjectReasons.StatusConflict);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogUnexpected(logger, ObjectKey.From(project).ToString(), ex);
            result = ReconcileResult.Transient(ConditionReasons.TransientError, ex);
        }
        finally
        {
            if (!finalizer.ObjectRemoved && !finalizer.IsDeleting)
            {
                ProjectReadiness.Conclude(project, steps.Ordered, pass, result, clock, recordEvent);
            }
        }

        return result;
    }

    private async Task<ReconcileResult> ConvergeAsync(
        Project project,
        IFinalizerHandle finalizer,
        TimeProvider clock,
        Action<EventType, string, string> recordEvent,
        PassRecord pass,
        CancellationToken cancellationToken)
    {
        await finalizer.AddAsync(cancellationToken);

        if (ProjectSpecRules.Check(project.Spec, options.ArtifactBucket) is { } violation)
        {
            return ReconcileResult.Terminal(violation.Reason, violation.Message);
        }

        var resolution = accounts.Resolve(project);
        if (resolution.Stop is { } stop)
        {
            pass.Blocker = stop;
            return ToResult(stop);
        }

        var account = resolution.Account!;
        if (ProjectSpecRules.CheckRegion(account.Spec.Region, [.. aws.Value.AllowedRegions]) is { } region)
        {
            return ReconcileResult.Terminal(region.Reason, region.Message);
        }

        var context = contexts.Create(project, account, clock, recordEvent);
        pass.Context = context;
        foreach (var step in steps.Ordered)
        {
            var outcome = await RunStepAsync(step, context, cancellationToken);
            pass.Runs.Add(new StepRun(step, outcome));
            if (outcome.Kind is StepOutcomeKind.Terminal or StepOutcomeKind.Transient)
            {
                break;
            }
        }

        return Combine(pass.Runs);
    }

    private async Task<ReconcileResult> DeleteAsync(
        Project project,
        IFinalizerHandle finalizer,
        TimeProvider clock,
        Action<EventType, string, string> recordEvent,
        CancellationToken cancellationToken)
    {
        if (!finalizer.IsPresent)
        {
            return ReconcileResult.Done();
        }

        var policy = project.Spec.DeletionPolicy;
        var account = accounts.Resolve(project).Account ?? ProjectContextFactory.FromStatus(project);
        if (account is null)
        {
            // No account was ever recorded or resolved: nothing was created in AWS.
            await finalizer.RemoveAsync(cancellationToken);
            return ReconcileResult.Done();
        }

        var context = contexts.Create(project, account, clock, recordEvent);
        foreach (var step in steps.Ordered.Reverse())
        {
            StepOutcome outcome;
            try
            {
                outcome = await step.FinalizeAsync(context, policy, cancellationToken);
            }
            catch (AwsServiceException ex)
            {
                outcome = FromException(ex);
            }

            if (!outcome.IsReady)
            {
                LogFinalizeWaiting(logger, context.Key.ToString(), step.Name, outcome.ToString());
                return ToResult(outcome);
            }
        }

        if (policy == ProjectDeletionPolicy.Retain)
        {
            project.Status!.ReleasedAt = clock.GetUtcNow().UtcDateTime;
        }

        recordEvent(EventType.Normal, policy == ProjectDeletionPolicy.Retain ? ConditionReasons.Released : ConditionReasons.Deleting,
            policy == ProjectDeletionPolicy.Retain
                ? $"deletionPolicy Retain: every AWS resource of the project stays in account {context.AccountId}, tagged {Labels.Released}"
                : $"deletionPolicy Delete: functions and other data-free resources removed in account {context.AccountId}; client data kept");
        await finalizer.RemoveAsync(cancellationToken);
        return ReconcileResult.Done();
    }

    private async Task<StepOutcome> RunStepAsync(IProjectStep step, ProjectContext context, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await step.ObserveAndConvergeAsync(context, cancellationToken);
            LogStep(logger, context.Key.ToString(), step.Name, outcome.ToString());
            return outcome;
        }
        catch (AwsServiceException ex)
        {
            return FromException(ex);
        }
    }

    /// <summary>An AWS error no step handled: terminal only when retrying the same request cannot succeed.</summary>
    internal static StepOutcome FromException(AwsServiceException exception)
    {
        var result = AwsOutcomes.From(exception);
        return result.Outcome == ReconcileOutcome.Terminal
            ? StepOutcome.Terminal(result.Reason!, result.Message ?? result.Reason!)
            : StepOutcome.Transient($"{exception.Service}:{exception.Operation} failed with {exception.ErrorCode}; retrying with backoff", exception);
    }

    /// <summary>Terminal wins, then transient, then the shortest named wait; otherwise done until the next drift check.</summary>
    internal static ReconcileResult Combine(IReadOnlyList<StepRun> runs)
    {
        if (runs.FirstOrDefault(r => r.Outcome.Kind == StepOutcomeKind.Terminal) is { } terminal)
        {
            return ReconcileResult.Terminal(terminal.Outcome.Reason, terminal.Outcome.Message);
        }

        if (runs.FirstOrDefault(r => r.Outcome.Kind == StepOutcomeKind.Transient) is { } transient)
        {
            return transient.Outcome.Exception is { } ex
                ? ReconcileResult.Transient(ConditionReasons.TransientError, ex)
                : ReconcileResult.Transient(ConditionReasons.TransientError, transient.Outcome.Message);
        }

        var wait = runs.Where(r => r.Outcome.Kind == StepOutcomeKind.Progressing && r.Outcome.Wait is not null)
            .OrderBy(r => r.Outcome.Wait).FirstOrDefault();
        return wait is null ? ReconcileResult.Done() : ReconcileResult.RequeueAfter(wait.Outcome.Wait!.Value, wait.Outcome.WaitName!);
    }

    private static ReconcileResult ToResult(StepOutcome outcome) => outcome.Kind switch
    {
        StepOutcomeKind.Terminal => ReconcileResult.Terminal(outcome.Reason, outcome.Message),
        StepOutcomeKind.Transient => outcome.Exception is { } ex
            ? ReconcileResult.Transient(ConditionReasons.TransientError, ex)
            : ReconcileResult.Transient(ConditionReasons.TransientError, outcome.Message),
        StepOutcomeKind.Progressing => ReconcileResult.RequeueAfter(outcome.Wait ?? TimeSpan.Zero, outcome.WaitName ?? outcome.Reason),
        _ => ReconcileResult.Done(),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Project {Key}: unexpected failure; retrying")]
    private static partial void LogUnexpected(ILogger logger, string key, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Project {Key}: step {Step}: {Outcome}")]
    private static partial void LogStep(ILogger logger, string key, string step, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Key}: deletion waits for step {Step}: {Outcome}")]
    private static partial void LogFinalizeWaiting(ILogger logger, string key, string step, string outcome);
}
