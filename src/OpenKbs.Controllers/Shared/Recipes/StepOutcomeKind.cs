namespace OpenKbs.Controllers.Shared.Recipes;

/// <summary>What one step concluded for its component (see <see cref="StepOutcome"/>).</summary>
internal enum StepOutcomeKind
{
    /// <summary>The component is as the spec says (condition True). A disabled component is Ready with reason Disabled.</summary>
    Ready,

    /// <summary>AWS is working or the step waits for something (condition False with a progress reason); look again after the
    /// named wait. Later steps still run unless the outcome stops the pass (<see cref="StepOutcome.StopsPass"/>).</summary>
    Progressing,

    /// <summary>Retrying cannot help until the spec changes (condition False, reason Terminal*). The pass stops here.</summary>
    Terminal,

    /// <summary>A failure that may heal by itself (throttling, 5xx): the pass stops and the runtime backs off. Conditions keep
    /// their last value (a throttled drift check must not flap Ready).</summary>
    Transient,
}
