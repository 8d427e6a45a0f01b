using Microsoft.Extensions.Logging.Abstractions;
using OpenKbs.Controllers.Shared.Recipes;
using Xunit;

namespace OpenKbs.Controllers.Tests.Shared;

public sealed class RecipeFactsTests
{
    [Fact]
    public async Task The_engine_files_the_facts_a_step_returns_for_the_later_steps_and_a_stopped_pass_hands_on_nothing()
    {
        var context = new Context();
        var pass = new PassRecord<Context>();
        var later = new Step("later", c => StepOutcome.Ready($"key {c.Facts.Require<Key>().Arn}"));
        await Recipe.RunStepsAsync([new Step("key", _ => StepOutcome.Ready("key made").With(new Key("arn:k"), null)), later], context, pass, NullLogger.Instance, "t", CancellationToken.None);

        Assert.Equal("key arn:k", pass.Runs[1].Outcome.Message);
        Assert.Equal("arn:k", context.Facts.Require<Key>().Arn);

        var stopped = new Context();
        await Recipe.RunStepsAsync(
            [new Step("key", _ => StepOutcome.Transient("throttled")), later], stopped, new PassRecord<Context>(), NullLogger.Instance, "t", CancellationToken.None);
        Assert.Null(stopped.Facts.Find<Key>());
    }

    [Fact]
    public void A_fact_type_comes_from_one_step_and_a_missing_fact_names_itself()
    {
        var facts = new Facts();
        facts.Add(new Key("a"));
        Assert.Contains("already published", Assert.Throws<InvalidOperationException>(() => facts.Add(new Key("b"))).Message, StringComparison.Ordinal);
        Assert.Contains("no Other", Assert.Throws<InvalidOperationException>(() => facts.Require<Other>()).Message, StringComparison.Ordinal);
        facts.Add(new Other("x"));
        Assert.Equal(["a", "x"], facts.All<INamed>().Select(n => n.Name));
    }

    [Fact]
    public async Task Facts_from_a_step_of_a_context_that_keeps_none_are_a_bug_not_silently_dropped()
    {
        var step = new PlainStep();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Recipe.RunStepsAsync([step], new object(), new PassRecord<object>(), NullLogger.Instance, "t", CancellationToken.None));
        Assert.Contains("keeps none", error.Message, StringComparison.Ordinal);
    }

    internal interface INamed
    {
        string Name { get; }
    }

    internal sealed record Key(string Arn) : INamed
    {
        public string Name => Arn[^1..];
    }

    internal sealed record Other(string Name) : INamed;

    internal sealed class Context : IHasFacts
    {
        public Facts Facts { get; } = new();
    }

    internal sealed class Step(string name, Func<Context, StepOutcome> body) : IRecipeStep<Context>
    {
        public string Name => name;

        public string? ConditionType => null;

        public Task<StepOutcome> RunAsync(Context context, CancellationToken cancellationToken) => Task.FromResult(body(context));
    }

    internal sealed class PlainStep : IRecipeStep<object>
    {
        public string Name => "plain";

        public string? ConditionType => null;

        public Task<StepOutcome> RunAsync(object context, CancellationToken cancellationToken) => Task.FromResult(StepOutcome.Ready("x").With(new Other("y")));
    }
}
