using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Clients;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects;

/// <summary>
/// One pass over one Project (<see cref="RecipePass{TResource, TSpec, TStatus}"/>), gathered once before the steps run
/// (<see cref="ProjectContextFactory"/>): its Ready ClientAccount, the member-account clients (900-second AssumeRole sessions
/// into the account's access role, pinned to its home region), the management clients (for the platform artifact bucket only),
/// the deterministic <see cref="Names"/> and the owner <see cref="Tags"/>. Steps hand typed facts to later steps of the same
/// pass by returning them with their outcome (<see cref="Facts"/>); nothing here is set by a step.
/// </summary>
internal sealed class ProjectContext : RecipePass<Project, ProjectSpec, ProjectStatus>
{
    public ProjectContext(
        Project project,
        ClientAccount account,
        IMemberAccountClients aws,
        IManagementClients management,
        ProjectOptions options,
        TimeProvider clock,
        Action<EventType, string, string> recordEvent,
        IStatusStore<Project> store)
        : base(project, ProjectRegistration.ControllerName, clock, recordEvent, store)
    {
        ArgumentNullException.ThrowIfNull(account);
        Account = account;
        Aws = aws;
        Management = management;
        Options = options;
        Names = ProjectNames.For(Namespace, Name, Uid);
        Tags = OwnershipTags.For(project);
    }

    public Project Project => Resource;

    /// <summary>The Ready ClientAccount the project runs in (same namespace).</summary>
    public ClientAccount Account { get; }

    /// <summary>The client account's id.</summary>
    public string AccountId => Aws.AccountId;

    /// <summary>The account's home region: every regional resource of the project lives here.</summary>
    public string Region => Aws.Region;

    /// <summary>Clients inside the client account, home region, 900-second sessions. Every AWS change of a step goes through these.</summary>
    public IMemberAccountClients Aws { get; }

    /// <summary>Management-account clients: only for reading artifacts from the platform bucket.</summary>
    public IManagementClients Management { get; }

    public ProjectNames Names { get; }

    /// <summary>The ownership tags every AWS resource of the project carries (managed-by, owner, namespace, uid).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    public ProjectOptions Options { get; }

    /// <summary>The deployment identity: a new value (version or artifact SHA-256 changed) deploys new code and rotates API keys.</summary>
    public string DeploymentId => DeploymentIds.For(Spec.Version, Spec.Source?.Sha256);
}
