using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Shared.Recipes;

namespace OpenKbs.Controllers.Projects;

/// <summary>What resolving <c>spec.clientAccountRef</c> found: a Ready account to work in, or why the Project waits or stops.</summary>
internal sealed record AccountResolution
{
    /// <summary>The Ready ClientAccount (null when <see cref="Stop"/> is set).</summary>
    public ClientAccount? Account { get; init; }

    /// <summary>Why the pass cannot go on (WaitingForAccount progress, or a terminal problem).</summary>
    public StepOutcome? Stop { get; init; }
}
