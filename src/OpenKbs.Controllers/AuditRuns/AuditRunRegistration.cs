using k8s.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Audit.Isolation;
using OpenKbs.Controllers.AuditRuns.Steps;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AuditRuns;

/// <summary>
/// Registers the AuditRun controller: its steps, the scanner, the caches it reads, and the watch that wakes the AuditRuns of a
/// Project when the Project changes (it appears, its bucket is created, its artifact is copied).
/// </summary>
internal static class AuditRunRegistration
{
    /// <summary>The controller name in logs, metrics and audit records.</summary>
    public const string ControllerName = "auditrun";

    public static IServiceCollection AddAuditRun(this IServiceCollection services, IConfiguration? configuration)
    {
        var settings = OptionsRules.Register<AuditRunOptions>(services, configuration, AuditRunOptions.SectionName, o => o.Failures());
        services.TryAddSingleton<IAuditScanner>(sp => settings.Isolation switch
        {
            ScanIsolation.InProcess => new InProcessAuditScanner(settings, sp.GetRequiredService<TimeProvider>()),
            ScanIsolation.KubernetesJob => new IsolatedAuditScanner(ScanJob(settings, sp.GetRequiredService<IJobObjects>(), sp.GetRequiredService<TimeProvider>()), settings),
            _ => new IsolatedAuditScanner(new ChildProcessScanIsolation(ChildProcess(settings)), settings),
        });
        services.TryAddSingleton(sp => new AuditRunCaches(
            sp.GetRequiredService<IResourceCache<Project>>(),
            sp.GetRequiredService<IResourceCache<ClientAccount>>(),
            sp.GetRequiredService<ICoreObjects<V1ConfigMap>>()));
        services.TryAddScoped<TargetStep>();
        services.TryAddScoped<ArtifactStep>();
        services.TryAddScoped<ScanStep>();
        services.TryAddScoped<AuditRunRecipe>();

        return services.AddController<AuditRun, AuditRunReconciler>(
            ResourceDescriptor.For<AuditRun>(),
            new ControllerOptions { Name = ControllerName, MaxConcurrentReconciles = settings.MaxConcurrentReconciles },
            builder => builder.Watches<Project>((project, runs) => RunsOf(project.Metadata.NamespaceProperty, project.Metadata.Name, runs)));
    }

    /// <summary>How the child is started: the openkbs apphost, or <c>dotnet openkbs.dll</c>.</summary>
    internal static ChildProcessOptions ChildProcess(AuditRunOptions settings)
    {
        // No program to run: "openkbs" from PATH, which a host without it fails to start (the scan fails closed).
        var command = settings.ScanCommand ?? AuditRunOptions.OwnProgram() ?? "openkbs";
        return command.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new ChildProcessOptions { FileName = DotnetHost(), PrefixArguments = [command], NoNetwork = settings.ScanWithoutNetwork }
            : new ChildProcessOptions { FileName = command, NoNetwork = settings.ScanWithoutNetwork };
    }

    /// <summary>The Job path: the Jobs in the operator's namespace, the run folders on the shared claim (settings validated at start).</summary>
    internal static KubernetesJobScanIsolation ScanJob(AuditRunOptions settings, IJobObjects objects, TimeProvider clock) =>
        new(ScanJobOptions(settings), new ScanJobClient(objects, clock, settings.ScanJobPollInterval), clock);

    /// <summary>Where the Jobs run and the claim they share, from the <c>AuditRun:ScanJob*</c> settings.</summary>
    internal static KubernetesScanOptions ScanJobOptions(AuditRunOptions settings) => new()
    {
        Namespace = settings.ScanJobNamespace!,
        Image = settings.ScanJobImage!,
        ClaimName = settings.ScanJobClaimName!,
        SharedRoot = settings.ScanJobMountPath!,
        CpuLimit = settings.ScanJobCpuLimit,
    };

    /// <summary>The dotnet host running this process, else "dotnet" from PATH.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && string.Equals(Path.GetFileNameWithoutExtension(path), "dotnet", StringComparison.Ordinal) ? path : "dotnet";

    /// <summary>The unfinished AuditRuns of <paramref name="ns"/> that name the Project <paramref name="project"/>.</summary>
    internal static IEnumerable<ObjectKey> RunsOf(string ns, string project, IResourceCache<AuditRun> runs) =>
        runs.List(ns)
            .Where(r => string.Equals(r.Spec.ProjectRef.Name, project, StringComparison.Ordinal) && !AuditRunRecipe.Finished(r.Status))
            .Select(ObjectKey.From);
}
