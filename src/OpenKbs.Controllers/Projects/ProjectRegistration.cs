using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Projects.Components.Access;
using OpenKbs.Controllers.Projects.Components.ApiKeys;
using OpenKbs.Controllers.Projects.Components.Artifact;
using OpenKbs.Controllers.Projects.Components.Audit;
using OpenKbs.Controllers.Projects.Components.Cdn;
using OpenKbs.Controllers.Projects.Components.Database;
using OpenKbs.Controllers.Projects.Components.ExecutionRole;
using OpenKbs.Controllers.Projects.Components.Functions;
using OpenKbs.Controllers.Projects.Components.Schedules;
using OpenKbs.Controllers.Projects.Components.Storage;
using OpenKbs.Controllers.Projects.Components.Usage;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects;

/// <summary>
/// Registers the Project controller: the recipe, its steps (scoped: one instance per pass) and the watch on ClientAccounts, so a
/// ClientAccount becoming Ready (or changing) wakes the Projects of its namespace that reference it.
/// </summary>
internal static class ProjectRegistration
{
    /// <summary>The controller name in logs, metrics and audit records.</summary>
    public const string ControllerName = "project";

    public static IServiceCollection AddProject(this IServiceCollection services, IConfiguration? configuration)
    {
        var settings = OptionsRules.Register<ProjectOptions>(services, configuration, ProjectOptions.SectionName, o => o.Failures());
        services.TryAddSingleton<AccountResolver>();
        services.TryAddSingleton<ProjectContextFactory>();
        services.TryAddSingleton<IApiKeySecretStore, KubernetesApiKeySecretStore>();

        // The steps, in no particular order here: ProjectSteps fixes the order.
        services.TryAddScoped<StorageStep>();
        services.TryAddScoped<ArtifactStep>();
        services.TryAddScoped<DatabaseStep>();
        services.TryAddScoped<ExecutionRoleStep>();
        services.TryAddScoped<ApiKeyStagingStep>();
        services.TryAddScoped<AccessStep>();
        services.TryAddScoped<AuditStep>();
        services.TryAddScoped<FunctionsStep>();
        services.TryAddScoped<ApiKeysStep>();
        services.TryAddScoped<CdnStep>();
        services.TryAddScoped<SchedulesStep>();
        services.TryAddScoped<UsageStep>();
        services.TryAddSingleton<AuditGate>();
        services.TryAddSingleton<DeployedFindings>();
        services.TryAddScoped<ProjectSteps>();
        services.TryAddScoped<ProjectRecipe>();

        return services.AddController<Project, ProjectReconciler>(
            ResourceDescriptor.For<Project>(),
            new ControllerOptions
            {
                Name = ControllerName,
                ResyncInterval = settings.DriftCheckInterval,
                MaxConcurrentReconciles = settings.MaxConcurrentReconciles,
            },
            builder => builder.Watches<ClientAccount>((account, projects) => ProjectsOf(account, projects))
                .Watches<AccountTransfer>((transfer, projects) => projects.List(transfer.Metadata.NamespaceProperty)
                    .Where(p => string.Equals(p.Spec.ClientAccountRef?.Name, transfer.Spec.ClientAccountRef.Name, StringComparison.Ordinal))
                    .Select(ObjectKey.From))
                .Watches<AuditRun>((run, projects) => [new ObjectKey(run.Metadata.NamespaceProperty, run.Spec.ProjectRef.Name)]));
    }

    /// <summary>The Projects in the account's namespace whose clientAccountRef names it.</summary>
    internal static IEnumerable<ObjectKey> ProjectsOf(ClientAccount account, IResourceCache<Project> projects) =>
        projects.List(account.Metadata.NamespaceProperty)
            .Where(p => string.Equals(p.Spec.ClientAccountRef?.Name, account.Metadata.Name, StringComparison.Ordinal))
            .Select(ObjectKey.From);
}
