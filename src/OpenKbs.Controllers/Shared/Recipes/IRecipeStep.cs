namespace OpenKbs.Controllers.Shared.Recipes;

/// <summary>
/// One step of a reconcile recipe over the pass's typed context (<typeparamref name="TContext"/>): observe one component,
/// converge it on the spec, and say how it stands as a <see cref="StepOutcome"/>. <see cref="Recipe"/> runs the steps in a
/// fixed order; <see cref="PassConditions"/> turns the runs into conditions for the current pass.
/// <para>
/// Contract: be idempotent (a pass can stop at any instant and the next starts from AWS again); return outcome values for
/// expected answers; an exception that escapes becomes an outcome in one place (<see cref="Recipe.FromException"/>). A step
/// gets what earlier steps found from the context or from the runs before it, and never calls another step. Never put a
/// secret in a message, an Event or a log.
/// </para>
/// </summary>
/// <typeparam name="TContext">The pass's context (the object, its clients, its clock and events).</typeparam>
internal interface IRecipeStep<in TContext>
{
    /// <summary>A short name for logs and "blocked by" messages, e.g. <c>storage</c>.</summary>
    string Name { get; }

    /// <summary>The condition this step owns (<see cref="Api.ConditionTypes"/>), or null for a step that only contributes to Ready.</summary>
    string? ConditionType { get; }

    /// <summary>Observe the component and converge it on the spec.</summary>
    Task<StepOutcome> RunAsync(TContext context, CancellationToken cancellationToken);
}
