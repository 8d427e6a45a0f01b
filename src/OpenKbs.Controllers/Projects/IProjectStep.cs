using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Shared.Recipes;

namespace OpenKbs.Controllers.Projects;

/// <summary>
/// One component of a Project (storage, artifact, database, execution role, functions, API keys, CDN, schedules, usage): a
/// recipe step (<see cref="IRecipeStep{TContext}"/>) that can also take its component down when the Project is deleted. Every
/// AWS mutation goes through the member-account clients of <see cref="ProjectContext.Aws"/> (900-second sessions, home region).
/// </summary>
internal interface IProjectStep : IRecipeStep<ProjectContext>
{
    /// <summary>
    /// The Project is being deleted. <see cref="ProjectDeletionPolicy.Retain"/>: leave everything in place and tag it
    /// <c>openkbs.com/released</c>. <see cref="ProjectDeletionPolicy.Delete"/>: remove what holds no client data, keep what does
    /// (final snapshot first, a non-empty bucket stays). Ready means this step's part of the deletion is done; anything else
    /// waits (the finalizer stays until every step is done). Steps are finalized in reverse order.
    /// </summary>
    Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken);
}
