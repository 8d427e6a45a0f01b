using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// Registers the ClientAccount controller: its steps, the process-wide creation queue, the self-watch that wakes the
/// queue, and the urgent lane (passes of keys that wait for a creation slot go first, with reserved workers).
/// </summary>
internal static class ClientAccountRegistration
{
    /// <summary>The controller name in logs, metrics and audit records.</summary>
    public const string ControllerName = "clientaccount";

    public static IServiceCollection AddClientAccount(this IServiceCollection services, IConfiguration? configuration)
    {
        var settings = OptionsRules.Register<ClientAccountOptions>(services, configuration, ClientAccountOptions.SectionName, o => o.Failures());

        // The queue is built by the provider with the injected clock; the runtime's urgency check (an option, fixed
        // before the provider exists) reaches it once it is built, and says "not urgent" before that.
        CreationQueue? built = null;
        services.TryAddSingleton(sp => built = new CreationQueue(sp.GetRequiredService<IOptions<ClientAccountOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<OrganizationRoot>();
        services.TryAddSingleton<OrganizationalUnitResolver>();
        services.TryAddSingleton<GuardrailPolicies>();
        services.TryAddSingleton<CreateRequestTracker>();
        services.TryAddSingleton<IAccessProbe, AwsAccessProbe>();
        services.TryAddScoped<DeletionStep>();
        services.TryAddScoped<ValidationStep>();
        services.TryAddScoped<AccountStep>();
        services.TryAddScoped<PlacementStep>();
        services.TryAddScoped<GuardrailStep>();
        services.TryAddScoped<AccessStep>();
        services.TryAddScoped<ClientAccountRecipe>();

        return services.AddController<ClientAccount, ClientAccountReconciler>(
            ResourceDescriptor.For<ClientAccount>(),
            new ControllerOptions
            {
                Name = ControllerName,
                ResyncInterval = settings.DriftCheckInterval,
                MaxConcurrentReconciles = settings.MaxConcurrentReconciles,
                IsUrgent = key => Volatile.Read(ref built)?.IsUrgent(key) == true,
                UrgentWorkers = settings.UrgentWorkers,
            },
            builder => builder.Watches<ClientAccount>((sp, changed, cache) => sp.GetRequiredService<CreationQueue>().WakeKeys(changed, cache))
                .Watches<AccountTransfer>(t => [new ObjectKey(t.Metadata.NamespaceProperty, t.Spec.ClientAccountRef.Name)]));
    }
}
