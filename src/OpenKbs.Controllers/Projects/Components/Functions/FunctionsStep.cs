using Microsoft.Extensions.Logging;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Core;
using OpenKbs.Controllers.Projects.Components.Access;
using OpenKbs.Controllers.Projects.Components.Artifact;
using OpenKbs.Controllers.Projects.Components.Audit;
using OpenKbs.Controllers.Projects.Components.ExecutionRole;
using OpenKbs.Controllers.Projects.Components.Storage;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects.Components.Functions;

/// <summary>
/// FunctionsReady: one Lambda function per spec function (<see cref="ProjectNames.Function"/>), code from the verified
/// artifact copy, configuration and tags from the spec, sealed settings as KMS envelopes; with client access on, the project's
/// <c>@openkbs/auth</c> layer and its JWKS URL (<see cref="FunctionRendering.WithClientAccess"/>). The step decides (which functions,
/// the audit gate, pruning, the aggregate outcome and status); <see cref="FunctionRendering"/> renders each desired function, <see cref="FunctionConvergence"/> converges it
/// (Lambda's update states, code before configuration); <see cref="FunctionManager"/> observes and applies;
/// <see cref="FunctionDelta.Between"/> names the paths that differ. Functions of the project that left the spec are deleted
/// (their code stays in the bucket). A drift check costs ListFunctions + one GetFunction each.
/// </summary>
internal sealed class FunctionsStep(ILogger<FunctionsStep> logger, AuditGate? audit = null) : IProjectStep
{
    public string Name => "functions";

    public string? ConditionType => ConditionTypes.FunctionsReady;

    public async Task<StepOutcome> RunAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var functions = context.Spec.Functions ?? [];
        var status = context.Status;
        var manager = new FunctionManager(context.Aws.Lambda);
        var existing = await manager.ListAsync(context.Names.FunctionPrefix, cancellationToken);

        var wanted = functions.Select(f => context.Names.Function(f.Name)).ToHashSet(StringComparer.Ordinal);
        var outcomes = new List<StepOutcome>();
        foreach (var leftover in existing.Where(f => !wanted.Contains(f)))
        {
            outcomes.Add(await DeleteLeftoverAsync(context, manager, leftover, cancellationToken));
        }

        if (functions.Count == 0)
        {
            status.Functions = null;
            status.FunctionsReady = "0/0";
            var none = new FunctionFacts(new Dictionary<string, string>(), outcomes.All(o => o.IsReady));
            return (outcomes.FirstOrDefault(o => !o.IsReady) ?? StepOutcome.Disabled("no functions in the spec")).With(none);
        }

        var artifact = context.Facts.Find<ArtifactLocation>();
        var role = context.Facts.Find<ExecutionRoleFacts>();
        if (artifact is null || role is null)
        {
            return StepOutcome.Progressing(ProjectReasons.WaitingForDependency,
                artifact is null ? "waiting for the verified artifact" : "waiting for the execution role", TimeSpan.Zero, nameof(ProjectWaits.WaitForNextPhase));
        }

        if (audit?.Check(context.Project, artifact.Sha256) is { } held)
        {
            return held;
        }

        var seals = new SealCache(context, context.Facts.Require<StorageFacts>().KeyArn, SealedSettings(context.Facts));
        var convergence = new FunctionConvergence(manager, logger);
        var access = context.Facts.Find<AccessFacts>();
        var arns = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var observed = new List<FunctionStatus>();
        var ready = 0;
        foreach (var function in functions)
        {
            var desired = FunctionRendering.WithClientAccess(FunctionRendering.Render(context, function, seals.Digests, role.RoleArn, artifact), access);
            var (outcome, state) = await convergence.ConvergeAsync(context, desired, seals, cancellationToken);
            observed.Add(state);
            outcomes.Add(outcome);
            if (outcome.IsReady)
            {
                ready++;
            }

            if (state.Arn is not null)
            {
                arns[function.Name] = state.Arn;
            }
        }

        status.Functions = observed;
        status.FunctionsReady = $"{ready}/{functions.Count}";
        var facts = new FunctionFacts(arns, outcomes.All(o => o.IsReady));
        if (outcomes.FirstOrDefault(o => o.Kind == StepOutcomeKind.Terminal) is { } terminal)
        {
            return terminal.With(facts);
        }

        if (outcomes.Where(o => !o.IsReady).OrderBy(o => o.Wait ?? TimeSpan.MaxValue).FirstOrDefault() is { } waiting)
        {
            return (waiting with { Message = $"{ready}/{functions.Count} ready; {waiting.Message}" }).With(facts);
        }

        return StepOutcome.Ready($"{functions.Count} function(s) run artifact sha256 {artifact.Sha256[..12]}… with the spec's configuration").With(facts);
    }

    /// <summary>Every sealed setting earlier steps contributed this pass (database, API keys), by variable name.</summary>
    internal static IReadOnlyDictionary<string, byte[]> SealedSettings(Facts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var settings = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, payload) in facts.All<IFunctionSettingsContribution>().SelectMany(c => c.SealedSettings))
        {
            if (!settings.TryAdd(name, payload))
            {
                throw new InvalidOperationException($"two components contribute the function setting {name}");
            }
        }

        return settings;
    }

    public async Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var manager = new FunctionManager(context.Aws.Lambda);
        var ours = await manager.ListAsync(context.Names.FunctionPrefix, cancellationToken);
        foreach (var function in ours)
        {
            if (await manager.ObserveAsync(function, cancellationToken) is not { } observed || observed.OwnerOtherThan(context.Project.Metadata.Uid) is not null)
            {
                continue;
            }

            try
            {
                if (policy == ProjectDeletionPolicy.Delete)
                {
                    await manager.DeleteAsync(function, cancellationToken);
                }
                else if (!observed.IsReleased)
                {
                    await manager.TagReleasedAsync(observed.Arn!, OwnershipTags.ReleasedValue(context.Now), cancellationToken);
                }
            }
            catch (AwsServiceException ex) when (ex.IsConflict)
            {
                return FunctionConvergence.Busy(context, function, ex);
            }
        }

        return StepOutcome.Ready(policy == ProjectDeletionPolicy.Delete
            ? $"{ours.Count} function(s) deleted; their code stays in the bucket"
            : $"{ours.Count} function(s) kept (tagged {Labels.Released})");
    }

    private static async Task<StepOutcome> DeleteLeftoverAsync(ProjectContext context, FunctionManager manager, string functionName, CancellationToken cancellationToken)
    {
        if (await manager.ObserveAsync(functionName, cancellationToken) is not { } observed)
        {
            return StepOutcome.Ready($"function {functionName} is gone already");
        }

        if (observed.OwnerOtherThan(context.Project.Metadata.Uid) is not null)
        {
            return StepOutcome.Ready($"function {functionName} belongs to another owner and was left alone");
        }

        try
        {
            await manager.DeleteAsync(functionName, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.IsConflict)
        {
            return FunctionConvergence.Busy(context, functionName, ex);
        }

        context.Event(EventType.Normal, "FunctionDeleted", $"function {functionName} left the spec and was deleted; its code stays in the bucket");
        return StepOutcome.Ready($"function {functionName} deleted");
    }
}
