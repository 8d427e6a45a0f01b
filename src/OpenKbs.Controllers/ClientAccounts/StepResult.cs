using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>What a step concluded: go on with the next step, or stop the pass with an outcome.</summary>
internal readonly record struct StepResult(ReconcileResult? Stop)
{
    public static StepResult Continue => default;

    public bool IsContinue => Stop is null;

    public static StepResult With(ReconcileResult result) => new(result);

    public static StepResult Requeue(TimeSpan delay, string reason) => new(ReconcileResult.RequeueAfter(delay, reason));

    public static StepResult Terminal(string reason, string message) => new(ReconcileResult.Terminal(reason, message));

    public static StepResult Done => new(ReconcileResult.Done());
}
