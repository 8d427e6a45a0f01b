using OpenKbs.Api;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Shared.Recipes;

/// <summary>
/// The value a <see cref="IRecipeStep{TContext}"/> returns: the component's condition (status, reason, message) and what the
/// pass does next. Messages are read by humans and land in status and Events: never put a secret in them.
/// </summary>
internal sealed record StepOutcome
{
    public required StepOutcomeKind Kind { get; init; }

    /// <summary>A CamelCase condition reason (<see cref="ConditionReasons"/> or the kind's own reasons).</summary>
    public required string Reason { get; init; }

    public required string Message { get; init; }

    /// <summary>When to look again (Progressing only); null = the next drift check.</summary>
    public TimeSpan? Wait { get; init; }

    /// <summary>The name of the wait, e.g. <c>WaitForLambdaUpdate</c> (the requeue reason, visible in logs and metrics).</summary>
    public string? WaitName { get; init; }

    /// <summary>The exception behind a transient outcome, if any.</summary>
    public Exception? Exception { get; init; }

    /// <summary>True when later steps must not run this pass (always for Terminal and Transient; for Progressing made by <see cref="Halt"/>).</summary>
    public bool StopsPass { get; init; }

    /// <summary>True when the step wrote its own condition (with events on transitions); the aggregator leaves it as written.</summary>
    public bool ConditionWritten { get; init; }

    public bool IsReady => Kind == StepOutcomeKind.Ready;

    /// <summary>Typed facts for later steps of the same pass (<see cref="Recipes.Facts"/>); filed by the engine after the step returns.</summary>
    public IReadOnlyList<object> Facts { get; init; } = [];

    /// <summary>This outcome carrying <paramref name="facts"/> for later steps (nulls are skipped: a fact not known yet).</summary>
    public StepOutcome With(params object?[] facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return this with { Facts = [.. Facts, .. facts.OfType<object>()] };
    }

    /// <summary>The component is as specified.</summary>
    public static StepOutcome Ready(string message, string reason = ConditionReasons.Available) =>
        new() { Kind = StepOutcomeKind.Ready, Reason = reason, Message = message };

    /// <summary>Ready; the step has written its condition itself.</summary>
    public static StepOutcome Continue { get; } =
        new() { Kind = StepOutcomeKind.Ready, Reason = ConditionReasons.Available, Message = string.Empty, ConditionWritten = true };

    /// <summary>The component is not enabled in the spec: nothing to do (condition True, reason Disabled).</summary>
    public static StepOutcome Disabled(string message) => Ready(message, ConditionReasons.Disabled);

    /// <summary>Work in progress: look again after <paramref name="wait"/> named <paramref name="waitName"/>; later steps still run.</summary>
    public static StepOutcome Progressing(string reason, string message, TimeSpan wait, string waitName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(waitName);
        return new() { Kind = StepOutcomeKind.Progressing, Reason = reason, Message = message, Wait = wait, WaitName = waitName };
    }

    /// <summary>
    /// Work in progress that later steps depend on (they need what this step resolves): the condition says what is waited
    /// for, the pass stops here, and it looks again after <paramref name="wait"/>.
    /// </summary>
    public static StepOutcome WaitingBeforeLaterSteps(string reason, string message, TimeSpan wait, string waitName) =>
        Progressing(reason, message, wait, waitName) with { StopsPass = true };

    /// <summary>Stop the pass here and look again after <paramref name="wait"/> (null: the next drift check); the step has written its condition.</summary>
    public static StepOutcome Halt(TimeSpan? wait, string waitName) => new()
    {
        Kind = StepOutcomeKind.Progressing, Reason = waitName, Message = waitName, Wait = wait, WaitName = waitName, StopsPass = true, ConditionWritten = true,
    };

    /// <summary>Stop until the spec changes; <paramref name="reason"/> must start with <c>Terminal</c>.</summary>
    public static StepOutcome Terminal(string reason, string message)
    {
        if (!ConditionReasons.IsTerminal(reason))
        {
            throw new ArgumentException($"a terminal reason must start with {ConditionReasons.TerminalPrefix}: {reason}", nameof(reason));
        }

        return new() { Kind = StepOutcomeKind.Terminal, Reason = reason, Message = message, StopsPass = true };
    }

    /// <summary>Back off and retry.</summary>
    public static StepOutcome Transient(string message, Exception? exception = null) =>
        new() { Kind = StepOutcomeKind.Transient, Reason = ConditionReasons.TransientError, Message = message, Exception = exception, StopsPass = true };

    /// <summary>The condition status this outcome sets (null: leave the condition as it is).</summary>
    public string? ConditionValue => ConditionWritten ? null : Kind switch
    {
        StepOutcomeKind.Ready => ConditionStatus.True,
        StepOutcomeKind.Progressing or StepOutcomeKind.Terminal => ConditionStatus.False,
        _ => null,
    };

    /// <summary>The reconcile result this outcome alone asks for.</summary>
    public ReconcileResult ToResult() => Kind switch
    {
        StepOutcomeKind.Terminal => ReconcileResult.Terminal(Reason, Message),
        StepOutcomeKind.Transient => Exception is { } ex
            ? ReconcileResult.Transient(ConditionReasons.TransientError, ex)
            : ReconcileResult.Transient(ConditionReasons.TransientError, Message),
        StepOutcomeKind.Progressing => Wait is { } wait ? ReconcileResult.RequeueAfter(wait, WaitName ?? Reason) : ReconcileResult.Done(),
        _ => ReconcileResult.Done(),
    };

    public override string ToString() => Wait is { } wait ? $"{Kind}({Reason}, {WaitName} {wait}): {Message}" : $"{Kind}({Reason}): {Message}";
}
