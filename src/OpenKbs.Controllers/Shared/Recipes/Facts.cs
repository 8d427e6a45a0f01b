namespace OpenKbs.Controllers.Shared.Recipes;

/// <summary>
/// The typed facts the steps of one pass hand to later steps (e.g. the project's key ARN, the verified artifact, the
/// execution role ARN). A step returns its facts with its outcome (<see cref="StepOutcome.With"/>); the engine files them here
/// (<see cref="Recipe.RunStepsAsync{TContext}"/>), and later steps read them by type. Facts are immutable records, each type
/// published at most once per pass, so no step sets state on a shared context and no step calls another step.
/// </summary>
internal sealed class Facts
{
    private readonly List<object> _facts = [];

    /// <summary>Files <paramref name="fact"/>; a second fact of the same type in one pass is a bug in the recipe.</summary>
    public void Add(object fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        if (_facts.Any(f => f.GetType() == fact.GetType()))
        {
            throw new InvalidOperationException($"{fact.GetType().Name} was already published in this pass; each fact type comes from one step");
        }

        _facts.Add(fact);
    }

    /// <summary>The fact of type <typeparamref name="T"/>, or null when no earlier step of this pass published one.</summary>
    public T? Find<T>()
        where T : class => _facts.OfType<T>().FirstOrDefault();

    /// <summary>
    /// The fact of type <typeparamref name="T"/>; throws when it is missing (the step that publishes it runs later in the recipe
    /// or did not publish it): an ordering bug, not a state of the world.
    /// </summary>
    public T Require<T>()
        where T : class => Find<T>()
        ?? throw new InvalidOperationException($"no {typeof(T).Name} in this pass: the step that publishes it must run earlier and publish it before a later step needs it");

    /// <summary>Every fact that is a <typeparamref name="T"/> (e.g. a contribution interface several components implement), in publication order.</summary>
    public IReadOnlyList<T> All<T>() => [.. _facts.OfType<T>()];
}

/// <summary>A recipe context whose steps exchange typed <see cref="Facts"/>.</summary>
internal interface IHasFacts
{
    Facts Facts { get; }
}
