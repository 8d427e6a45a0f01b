using OpenKbs.Api;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Shared.Recipes;

/// <summary>Writes one condition (type, status, reason, message) with the pass's generation and clock; true when it changed.</summary>
internal delegate bool ConditionWriter(string type, string status, string reason, string message);

/// <summary>
/// The readiness aggregator, run at the end of every pass (a finally block). Every condition describes the current pass:
/// <list type="bullet">
/// <item>A step that ran sets its condition from its outcome (Ready True; Progressing and Terminal False); a transient outcome
/// leaves the conditions as they were (a throttled drift check must not flap Ready).</item>
/// <item>A step the pass did not reach says so and names what blocked it: Unknown, "not reached: blocked by storage (TerminalAwsError)".</item>
/// <item>Terminal: Ready and Synced False with the Terminal* reason. Transient: Synced False, and Ready only drops when it was not True.
/// Otherwise Synced True and Ready True with the kind's message when nothing blocks, else False with the first blocking reason.</item>
/// </list>
/// </summary>
internal static class PassConditions
{
    /// <summary>The reason of a step's condition when the pass did not reach the step.</summary>
    public const string NotReached = "NotReached";

    /// <summary>Sets the condition of every step in <paramref name="steps"/> for this pass.</summary>
    public static void ApplySteps<TContext>(IEnumerable<IRecipeStep<TContext>> steps, PassRecord<TContext> pass, ReconcileResult result, ConditionWriter set)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(set);
        var ran = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in pass.Runs)
        {
            ran.Add(run.Step.Name);
            if (run.Step.ConditionType is { } type && run.Outcome.ConditionValue is { } value)
            {
                set(type, value, run.Outcome.Reason, run.Outcome.Message);
            }
        }

        if (result.Outcome == ReconcileOutcome.Transient)
        {
            return;
        }

        var message = pass.StoppedBy is var (name, outcome) ? $"not reached: blocked by {name} ({outcome.Reason})" : "not reached yet";
        foreach (var step in steps)
        {
            if (step.ConditionType is { } type && !ran.Contains(step.Name))
            {
                set(type, ConditionStatus.Unknown, pass.StoppedBy is null ? ConditionReasons.Reconciling : NotReached, message);
            }
        }
    }

    /// <summary>
    /// Sets Synced and Ready from the pass's <paramref name="result"/>: <paramref name="blocking"/> is what keeps Ready False
    /// (null when nothing does), <paramref name="readyMessage"/> what Ready True says.
    /// </summary>
    public static void ConcludeReady(ReconcileResult result, (string Reason, string Message)? blocking, string readyMessage, bool readyWasTrue, ConditionWriter set)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(set);
        switch (result.Outcome)
        {
            case ReconcileOutcome.Terminal:
                set(ConditionTypes.Ready, ConditionStatus.False, result.Reason!, result.Message ?? result.Reason!);
                set(ConditionTypes.Synced, ConditionStatus.False, result.Reason!, result.Message ?? result.Reason!);
                return;
            case ReconcileOutcome.Transient:
                var message = $"{result.Message ?? result.Reason}; retrying with backoff";
                set(ConditionTypes.Synced, ConditionStatus.False, ConditionReasons.TransientError, message);
                if (!readyWasTrue)
                {
                    set(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.TransientError, message);
                }

                return;
        }

        set(ConditionTypes.Synced, ConditionStatus.True, ConditionReasons.Available, "the spec is applied");
        if (blocking is var (reason, why))
        {
            set(ConditionTypes.Ready, ConditionStatus.False, reason, why);
            return;
        }

        set(ConditionTypes.Ready, ConditionStatus.True, ConditionReasons.Available, readyMessage);
    }
}
