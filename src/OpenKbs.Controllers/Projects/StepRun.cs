namespace OpenKbs.Controllers.Projects;

/// <summary>One step's outcome in one pass (what <see cref="ProjectReadiness"/> aggregates).</summary>
internal sealed record StepRun(IProjectStep Step, StepOutcome Outcome);
