using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Clients;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects;

/// <summary>
/// Gathers a <see cref="ProjectContext"/> once per pass: member-account clients through the account's access role (900-second
/// AssumeRole sessions, cached by the AWS layer) pinned to the account's home region, and management clients for the platform
/// artifact bucket. Records the account id and region in status (where the project's resources are found again).
/// </summary>
internal sealed class ProjectContextFactory(IAwsClientFactory aws, IStatusStore<Project> store, ProjectOptions options)
{
    public ProjectContext Create(Project project, ClientAccount account, TimeProvider clock, Action<EventType, string, string> recordEvent)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(account);
        var accountId = account.Status?.AccountId ?? throw new ArgumentException("the ClientAccount has no account id", nameof(account));
        var actor = AwsActors.For(project, ProjectRegistration.ControllerName);
        var member = aws.ForAccount(accountId, account.Spec.AccessRoleName, account.Spec.Region, actor);
        var management = aws.ForManagement(actor);
        project.Status ??= new ProjectStatus();
        project.Status.AccountId = accountId;
        project.Status.Region = account.Spec.Region;
        return new ProjectContext(project, account, member, management, options, clock, recordEvent, store);
    }

    /// <summary>
    /// For deletion when the ClientAccount object is gone: the account id and region recorded in status, through the default
    /// access role (<c>OrganizationAccountAccessRole</c>). Null when the project never recorded an account (nothing was created).
    /// </summary>
    public static ClientAccount? FromStatus(Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (project.Status?.AccountId is not { } accountId || project.Status.Region is not { } region)
        {
            return null;
        }

        return new ClientAccount
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = project.Spec.ClientAccountRef.Name, NamespaceProperty = project.Metadata.NamespaceProperty },
            Spec = new ClientAccountSpec { Email = "unknown@invalid.example", Region = region, AllowedRegions = [region] },
            Status = new ClientAccountStatus { AccountId = accountId },
        };
    }
}
