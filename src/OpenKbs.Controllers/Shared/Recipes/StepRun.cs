namespace OpenKbs.Controllers.Shared.Recipes;

/// <summary>One step's outcome in one pass (what <see cref="PassConditions"/> aggregates).</summary>
internal sealed record StepRun<TContext>(IRecipeStep<TContext> Step, StepOutcome Outcome);
