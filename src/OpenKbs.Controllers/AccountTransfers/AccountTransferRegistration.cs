using k8s.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.AccountTransfers.Steps;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AccountTransfers;

/// <summary>
/// Registers the AccountTransfer controller: its steps, the caches it reads, the gate the ClientAccount and Project controllers
/// apply (<see cref="TransferGate"/>), and the watches that wake a transfer when its ClientAccount or one of its Projects
/// changes (their acknowledgement of the hold, their release).
/// </summary>
internal static class AccountTransferRegistration
{
    /// <summary>The controller name in logs, metrics and audit records.</summary>
    public const string ControllerName = "accounttransfer";

    public static IServiceCollection AddAccountTransfer(this IServiceCollection services, IConfiguration? configuration)
    {
        var settings = OptionsRules.Register<AccountTransferOptions>(services, configuration, AccountTransferOptions.SectionName, o => o.Failures());
        services.TryAddSingleton<TransferGate>();
        services.TryAddSingleton(sp => new TransferCaches(
            sp.GetRequiredService<IResourceCache<ClientAccount>>(),
            sp.GetRequiredService<IResourceCache<Project>>(),
            sp.GetRequiredService<IResourceCache<AccountTransfer>>(),
            sp.GetRequiredService<ICoreObjects<V1Secret>>(),
            sp.GetRequiredService<ICoreObjects<V1ConfigMap>>()));
        services.TryAddScoped<PreflightStep>();
        services.TryAddScoped<RootEmailStep>();
        services.TryAddScoped<ConfirmationsStep>();
        services.TryAddScoped<RemovalStep>();
        services.TryAddScoped<ReportStep>();
        services.TryAddScoped<AccessRevokedStep>();
        services.TryAddScoped<ReleaseStep>();
        services.TryAddScoped<TransferRecipe>();

        return services.AddController<AccountTransfer, AccountTransferReconciler>(
            ResourceDescriptor.For<AccountTransfer>(),
            new ControllerOptions { Name = ControllerName, MaxConcurrentReconciles = settings.MaxConcurrentReconciles },
            builder => builder
                .Watches<ClientAccount>((account, transfers) => TransfersOf(account.Metadata.NamespaceProperty, account.Metadata.Name, transfers))
                .Watches<Project>((project, transfers) => TransfersOf(project.Metadata.NamespaceProperty, project.Spec.ClientAccountRef?.Name, transfers)));
    }

    /// <summary>The AccountTransfers of <paramref name="ns"/> that name the ClientAccount <paramref name="account"/>.</summary>
    internal static IEnumerable<ObjectKey> TransfersOf(string ns, string? account, IResourceCache<AccountTransfer> transfers) =>
        transfers.List(ns).Where(t => string.Equals(t.Spec.ClientAccountRef.Name, account, StringComparison.Ordinal)).Select(ObjectKey.From);
}
