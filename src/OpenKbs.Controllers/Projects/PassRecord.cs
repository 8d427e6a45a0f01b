namespace OpenKbs.Controllers.Projects;

/// <summary>What one pass did, for <see cref="ProjectReadiness"/>: the context (null when the pass stopped before it), the step
/// runs in order, and a blocker that stopped the pass before the steps (e.g. WaitingForAccount).</summary>
internal sealed class PassRecord
{
    public ProjectContext? Context { get; set; }

    public List<StepRun> Runs { get; } = [];

    public StepOutcome? Blocker { get; set; }
}
