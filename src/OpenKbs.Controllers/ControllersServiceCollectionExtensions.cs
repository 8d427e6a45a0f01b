using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenKbs.Controllers.AccountTransfers;
using OpenKbs.Controllers.AuditRuns;
using OpenKbs.Controllers.ClientAccounts;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Shared;

namespace OpenKbs.Controllers;

/// <summary>The one seam between the host and the controllers: the host calls this, each kind's controller registers itself here.</summary>
public static class ControllersServiceCollectionExtensions
{
    /// <summary>
    /// Registers the shared AWS wiring (configuration section <c>Aws</c>, the Kubernetes Event audit sink, the status
    /// store) and every controller. <paramref name="configuration"/> supplies sections <c>Aws</c>, <c>ClientAccount</c>, <c>Project</c>, <c>AccountTransfer</c> and <c>AuditRun</c>
    /// (the host adds <c>OPENKBS_</c>-prefixed environment variables, e.g. <c>OPENKBS_ClientAccount__WaitWhileAccountCreating=00:00:02</c>).
    /// </summary>
    public static IServiceCollection AddOpenKbsControllers(this IServiceCollection services, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddControllerAws(configuration);
        services.TryAddSingleton<IncidentSignals>(); // NIS2 Art. 23: records through IIncidentRecorder when the audit store registers one
        services.AddClientAccount(configuration);
        services.AddProject(configuration);
        services.AddAccountTransfer(configuration);
        services.AddAuditRun(configuration);
        return services;
    }
}
