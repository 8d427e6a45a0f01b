namespace OpenKbs.Controllers.Shared.Recipes;

/// <summary>What one pass did: the step runs in order, and a gate that stopped the pass before the steps (e.g. the
/// ClientAccount is not Ready), named so unreached steps can say what blocked them.</summary>
internal sealed class PassRecord<TContext>
{
    public List<StepRun<TContext>> Runs { get; } = [];

    /// <summary>The name of the gate that stopped the pass before any step (e.g. <c>account</c>), with its outcome.</summary>
    public (string Name, StepOutcome Outcome)? Blocker { get; set; }

    /// <summary>The step or gate that stopped the pass, with its outcome; null when the pass ran to its end.</summary>
    public (string Name, StepOutcome Outcome)? StoppedBy =>
        Runs.LastOrDefault() is { } last && last.Outcome.StopsPass ? (last.Step.Name, last.Outcome) : Blocker;
}
