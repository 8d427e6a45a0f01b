using System.Text;
using Microsoft.Extensions.Logging;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Core;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects.Components.Functions;

/// <summary>
/// The decisions for one function, taken for each client function by <see cref="FunctionsStep"/> and for the access function
/// by the access step (docs/access.md): another owner's function is never changed (Terminal); while Lambda is creating or
/// updating it (Pending, InProgress, or a 409/412 answer) nothing is sent (<see cref="ProjectWaits.WaitForLambda"/>); of a
/// <see cref="FunctionDelta"/>, tags are put back at once, code goes first and the configuration follows on a later pass, as AWS
/// recommends. <see cref="FunctionManager"/> does the reading and writing; this class only decides, records events and the
/// observed <see cref="FunctionStatus"/>.
/// </summary>
internal sealed partial class FunctionConvergence(FunctionManager manager, ILogger logger)
{
    /// <summary>Converges one function to <paramref name="desired"/>; the state is what Lambda reported (or answered) this pass.</summary>
    public async Task<(StepOutcome Outcome, FunctionStatus State)> ConvergeAsync(ProjectContext context, FunctionDesired desired, SealCache seals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(seals);
        var state = new FunctionStatus { Name = desired.SpecName };
        if (await manager.ObserveAsync(desired.FunctionName, cancellationToken) is not { } observed)
        {
            return (await CreateAsync(context, desired, seals, state, cancellationToken), state);
        }

        var configuration = observed.Configuration;
        state.Arn = configuration.FunctionArn;
        state.State = configuration.State;
        state.LastUpdateStatus = configuration.LastUpdateStatus;
        state.CodeSha256 = configuration.CodeSha256;
        state.Version = configuration.Version;
        if (observed.OwnerOtherThan(context.Project.Metadata.Uid) is { } owner)
        {
            return (StepOutcome.Terminal(ConditionReasons.TerminalOwnershipConflict,
                $"function {desired.FunctionName} belongs to {owner}, not to this Project; nothing was changed"), state);
        }

        if (observed.IsBusy)
        {
            return (Wait(context, $"function {desired.SpecName} is {(configuration.State == "Pending" ? "Pending" : "updating")}"), state);
        }

        var delta = FunctionDelta.Between(desired, observed);
        if (delta.IsEmpty)
        {
            if (configuration.State == "Failed")
            {
                return (StepOutcome.Terminal(ConditionReasons.TerminalAwsError,
                    $"function {desired.SpecName} is Failed ({configuration.StateReasonCode}: {configuration.StateReason}); fix the cause, then change the spec or request a reconcile"), state);
            }

            return configuration.LastUpdateStatus == "Failed"
                ? (StepOutcome.Terminal(ConditionReasons.TerminalAwsError,
                    $"the last update of function {desired.SpecName} failed ({configuration.LastUpdateStatusReasonCode}: {configuration.LastUpdateStatusReason})"), state)
                : (StepOutcome.Ready($"function {desired.SpecName} is as specified"), state);
        }

        LogDelta(logger, context.Key.ToString(), desired.FunctionName, delta.ToString());
        try
        {
            if (delta.Has(FunctionDelta.Tags))
            {
                await manager.ApplyTagsAsync(configuration.FunctionArn!, delta, cancellationToken);
                if (delta.Paths.Count == 1)
                {
                    return (StepOutcome.Ready($"function {desired.SpecName} is as specified (tags put back)"), state);
                }
            }

            if (delta.Has(FunctionDelta.Code))
            {
                var code = await manager.UpdateCodeAsync(desired, configuration.RevisionId, cancellationToken);
                state.CodeSha256 = code.CodeSha256;
                state.LastUpdateStatus = code.LastUpdateStatus;
                context.Event(EventType.Normal, ConditionReasons.Updating, $"function {desired.SpecName}: code updated to artifact sha256 {desired.Code.Sha256[..12]}…");
                return (Wait(context, $"function {desired.SpecName}: code updated; the configuration follows once Lambda is done"), state);
            }

            var environment = await EnvironmentAsync(desired, configuration.Environment?.Variables, seals, cancellationToken);
            if (TooLarge(desired, environment) is { } refused)
            {
                return (refused, state);
            }

            var updated = await manager.UpdateConfigurationAsync(desired, environment, configuration.RevisionId, cancellationToken);
            state.LastUpdateStatus = updated.LastUpdateStatus;
            context.Event(EventType.Normal, ConditionReasons.Updating, $"function {desired.SpecName}: {delta.Changes} updated");
            return (Wait(context, $"function {desired.SpecName}: configuration updated ({delta.Changes})"), state);
        }
        catch (AwsServiceException ex) when (ex.IsConflict)
        {
            return (Busy(context, desired.SpecName, ex), state);
        }
        catch (AwsServiceException ex) when (IsRolePropagation(ex))
        {
            return (RoleNotReady(context, desired.SpecName), state);
        }
    }

    private async Task<StepOutcome> CreateAsync(ProjectContext context, FunctionDesired desired, SealCache seals, FunctionStatus state, CancellationToken cancellationToken)
    {
        var environment = await EnvironmentAsync(desired, null, seals, cancellationToken);
        if (TooLarge(desired, environment) is { } refused)
        {
            return refused;
        }

        try
        {
            var created = await manager.CreateAsync(desired, environment, cancellationToken);
            state.Arn = created.FunctionArn;
            state.State = created.State;
            state.LastUpdateStatus = created.LastUpdateStatus;
            state.CodeSha256 = created.CodeSha256;
            state.Version = created.Version;
            context.Event(EventType.Normal, ConditionReasons.Creating, $"function {desired.SpecName} created ({desired.Runtime}, artifact sha256 {desired.Code.Sha256[..12]}…)");
            return Wait(context, $"function {desired.SpecName} created; waiting for it to become Active");
        }
        catch (AwsServiceException ex) when (ex.IsConflict)
        {
            // It exists already (an earlier pass's answer was lost) or Lambda is busy: look again.
            return Busy(context, desired.SpecName, ex);
        }
        catch (AwsServiceException ex) when (IsRolePropagation(ex))
        {
            return RoleNotReady(context, desired.SpecName);
        }
    }

    /// <summary>The full environment: plain variables plus each sealed variable, reusing the current envelope when its digest is unchanged.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(
        FunctionDesired desired,
        IReadOnlyDictionary<string, string>? current,
        SealCache seals,
        CancellationToken cancellationToken)
    {
        var environment = new SortedDictionary<string, string>(desired.Environment.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var name in desired.SealedVariables)
        {
            var unchanged = current is not null
                && current.TryGetValue(name + FunctionRendering.DigestSuffix, out var digest) && digest == desired.Environment[name + FunctionRendering.DigestSuffix]
                && current.TryGetValue(name, out var envelope) && !string.IsNullOrEmpty(envelope);
            environment[name] = unchanged ? current![name] : await seals.SealAsync(name, cancellationToken);
        }

        return environment;
    }

    /// <summary>Terminal when the environment is over Lambda's limit (nothing is sent), else null.</summary>
    private static StepOutcome? TooLarge(FunctionDesired desired, IReadOnlyDictionary<string, string> environment)
    {
        var size = environment.Sum(e => Encoding.UTF8.GetByteCount(e.Key) + Encoding.UTF8.GetByteCount(e.Value));
        return size > ProjectSpecRules.LambdaEnvironmentLimit
            ? StepOutcome.Terminal(ConditionReasons.TerminalInvalidSpec,
                $"function {desired.SpecName}: the environment would be {size} bytes, over Lambda's {ProjectSpecRules.LambdaEnvironmentLimit}; use fewer or shorter variables, API keys or permissions")
            : null;
    }

    private static StepOutcome Wait(ProjectContext context, string message) =>
        StepOutcome.Progressing(ConditionReasons.WaitingForAws, message, context.Options.WaitForLambda, nameof(ProjectWaits.WaitForLambda));

    /// <summary>Lambda answered 409/412 (an update is in progress): look again after <see cref="ProjectWaits.WaitForLambda"/>.</summary>
    internal static StepOutcome Busy(ProjectContext context, string function, AwsServiceException ex) =>
        StepOutcome.Progressing(ConditionReasons.WaitingForAws,
            $"function {function}: Lambda answered {ex.ErrorCode} (an update is in progress); trying again after {context.Options.WaitForLambda.TotalSeconds:0.#} s",
            context.Options.WaitForLambda, nameof(ProjectWaits.WaitForLambda));

    private static StepOutcome RoleNotReady(ProjectContext context, string function) =>
        StepOutcome.Progressing(ConditionReasons.WaitingForAws,
            $"function {function}: Lambda cannot assume the new execution role yet (IAM is eventually consistent)",
            context.Options.WaitForIamPropagation, nameof(ProjectWaits.WaitForIamPropagation));

    private static bool IsRolePropagation(AwsServiceException ex) =>
        ex.ErrorCode == AwsErrorCode.InvalidParameterValueException && ex.AwsMessage?.Contains("cannot be assumed", StringComparison.OrdinalIgnoreCase) == true;

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Key}: function {Function} differs in {Delta}")]
    private static partial void LogDelta(ILogger logger, string key, string function, string delta);
}
