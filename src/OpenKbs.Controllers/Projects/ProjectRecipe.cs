using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws;
using OpenKbs.Controllers.Projects.Components.Audit;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects;

/// <summary>
/// The Project recipe: deletion (steps finalized in reverse order per <c>deletionPolicy</c>) or the finalizer; the spec rules;
/// the ClientAccount gate (wait until Ready); then the steps of <see cref="ProjectSteps"/> on the <see cref="Recipe"/> engine.
/// <see cref="ProjectReadiness"/> concludes the conditions on every exit path (finally), then <see cref="DeployedFindings"/> judges the
/// deployed digest by its newest AuditRun (NIS2 Art. 23); the runtime writes status once.
/// </summary>
internal sealed partial class ProjectRecipe(
    ProjectSteps steps,
    AccountResolver accounts,
    ProjectContextFactory contexts,
    IOptions<AwsOptions> aws,
    ProjectOptions options,
    ILogger<ProjectRecipe> logger,
    DeployedFindings? findings = null)
{
    /// <summary>The name of the gate that waits for the ClientAccount, in "blocked by" messages.</summary>
    public const string AccountGate = "clientaccount";

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
        var pass = new PassRecord<ProjectContext>();
        ProjectContext? context = null;
        var key = ObjectKey.From(project).ToString();
        var result = ReconcileResult.Transient(ConditionReasons.TransientError, "the pass did not finish");
        try
        {
            result = await Recipe.GuardAsync(
                async () => finalizer.IsDeleting
                    ? await DeleteAsync(project, finalizer, clock, recordEvent, cancellationToken)
                    : await ConvergeAsync(project, finalizer, clock, recordEvent, pass, c => context = c, cancellationToken),
                logger,
                $"Project {key}",
                cancellationToken);
        }
        finally
        {
            if (!finalizer.ObjectRemoved && !finalizer.IsDeleting)
            {
                ProjectReadiness.Conclude(project, steps.Ordered, pass, context, result, clock, recordEvent);
                if (findings is not null && context is not null && !cancellationToken.IsCancellationRequested)
                {
                    // After the deployment rule: the digest that runs now, judged by its newest completed AuditRun.
                    await findings.CheckAsync(context, cancellationToken);
                }
            }
        }

        return result;
    }

    private async Task<ReconcileResult> ConvergeAsync(
        Project project,
        IFinalizerHandle finalizer,
        TimeProvider clock,
        Action<EventType, string, string> recordEvent,
        PassRecord<ProjectContext> pass,
        Action<ProjectContext> created,
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
            pass.Blocker = (AccountGate, stop);
            return stop.ToResult();
        }

        var account = resolution.Account!;
        if (ProjectSpecRules.CheckRegion(account.Spec.Region, [.. aws.Value.AllowedRegions]) is { } region)
        {
            return ReconcileResult.Terminal(region.Reason, region.Message);
        }

        var context = contexts.Create(project, account, clock, recordEvent);
        created(context);
        await Recipe.RunStepsAsync(steps.Ordered, context, pass, logger, $"Project {context.Key}", cancellationToken);
        return Recipe.Combine(pass.Runs);
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
        var key = $"Project {context.Key}";
        foreach (var step in steps.Ordered.Reverse())
        {
            var outcome = await Recipe.RunStepAsync(step.Name, () => step.FinalizeAsync(context, policy, cancellationToken), logger, key);
            if (!outcome.IsReady)
            {
                LogFinalizeWaiting(logger, context.Key.ToString(), step.Name, outcome.ToString());
                return outcome.Kind == StepOutcomeKind.Progressing && outcome.Wait is null
                    ? ReconcileResult.RequeueAfter(TimeSpan.Zero, outcome.WaitName ?? outcome.Reason)
                    : outcome.ToResult();
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Key}: deletion waits for step {Step}: {Outcome}")]
    private static partial void LogFinalizeWaiting(ILogger logger, string key, string step, string outcome);
}
