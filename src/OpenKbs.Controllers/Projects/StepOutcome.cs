using OpenKbs.Api;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects;

/// <summary>
/// The value a <see cref="IProjectStep"/> returns: the component's condition (status, reason, message) and what the pass does
/// next. <see cref="Wait"/> is a named wait (<see cref="ProjectWaits"/>) for <see cref="StepOutcomeKind.Progressing"/>.
/// Messages are read by humans and land in status and Events: never put a secret in them.
/// </summary>
internal sealed record StepOutcome
{
    public required StepOutcomeKind Kind { get; init; }

    /// <summary>A CamelCase condition reason (<see cref="ConditionReasons"/> or <see cref="ProjectReasons"/>).</summary>
    public required string Reason { get; init; }

    public required string Message { get; init; }

    /// <summary>When to look again (Progressing only); null = the next drift check.</summary>
    public TimeSpan? Wait { get; init; }

    /// <summary>The name of the wait, e.g. <c>WaitForLambdaUpdate</c> (the requeue reason, visible in logs and metrics).</summary>
    public string? WaitName { get; init; }

    /// <summary>The exception behind a transient outcome, if any.</summary>
    public Exception? Exception { get; init; }

    public bool IsReady => Kind == StepOutcomeKind.Ready;

    /// <summary>The component is as specified.</summary>
    public static StepOutcome Ready(string message, string reason = ConditionReasons.Available) =>
        new() { Kind = StepOutcomeKind.Ready, Reason = reason, Message = message };

    /// <summary>The component is not enabled in the spec: nothing to do (condition True, reason Disabled).</summary>
    public static StepOutcome Disabled(string message) => Ready(message, ConditionReasons.Disabled);

    /// <summary>Work in progress: look again after <paramref name="wait"/> (a <see cref="ProjectWaits"/> value) named <paramref name="waitName"/>.</summary>
    public static StepOutcome Progressing(string reason, string message, TimeSpan wait, string waitName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(waitName);
        return new() { Kind = StepOutcomeKind.Progressing, Reason = reason, Message = message, Wait = wait, WaitName = waitName };
    }

    /// <summary>Stop until the spec changes; <paramref name="reason"/> must start with <c>Terminal</c>.</summary>
    public static StepOutcome Terminal(string reason, string message)
    {
        if (!ConditionReasons.IsTerminal(reason))
        {
            throw new ArgumentException($"a terminal reason must start with {ConditionReasons.TerminalPrefix}: {reason}", nameof(reason));
        }

        return new() { Kind = StepOutcomeKind.Terminal, Reason = reason, Message = message };
    }

    /// <summary>Back off and retry.</summary>
    public static StepOutcome Transient(string message, Exception? exception = null) =>
        new() { Kind = StepOutcomeKind.Transient, Reason = ConditionReasons.TransientError, Message = message, Exception = exception };

    /// <summary>A placeholder step: the condition is Unknown, reason NotImplemented, and Ready stays False.</summary>
    public static StepOutcome NotImplemented(string message) =>
        new() { Kind = StepOutcomeKind.NotImplemented, Reason = ProjectReasons.NotImplemented, Message = message };

    /// <summary>The condition status this outcome sets (null: leave the condition as it is).</summary>
    public string? ConditionValue => Kind switch
    {
        StepOutcomeKind.Ready => ConditionStatus.True,
        StepOutcomeKind.Progressing or StepOutcomeKind.Terminal => ConditionStatus.False,
        StepOutcomeKind.NotImplemented => ConditionStatus.Unknown,
        _ => null,
    };

    public override string ToString() => Wait is { } wait ? $"{Kind}({Reason}, {WaitName} {wait}): {Message}" : $"{Kind}({Reason}): {Message}";
}
