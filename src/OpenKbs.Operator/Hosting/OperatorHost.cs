using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenKbs.AuditTrail;
using OpenKbs.Controllers;
using OpenKbs.Runtime;

namespace OpenKbs.Operator.Hosting;

/// <summary>Builds and runs the operator host. `run` and `sandbox --with-operator` both call it.</summary>
internal static class OperatorHost
{
    /// <summary>Runs until <paramref name="cancellationToken"/> fires (or SIGTERM); returns the process exit code.</summary>
    public static async Task<int> RunAsync(OperatorOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        IHost host;
        try
        {
            host = Build(options);
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or FormatException or ArgumentException or IOException)
        {
            await Console.Error.WriteLineAsync($"openkbs run: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        using (host)
        {
            try
            {
                await host.RunAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 0;
            }
            catch (Exception ex)
            {
                host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OpenKbs.Operator").LogCritical(ex, "The operator stopped on an error");
                return 1;
            }
        }
    }

    /// <summary>Builds the host: Kubernetes client, runtime, controllers, JSON or text logs.</summary>
    public static IHost Build(OperatorOptions options, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (name, value) in options.Environment)
        {
            // The sandbox's aws.env and the like: visible to the AWS SDK's standard environment lookup.
            Environment.SetEnvironmentVariable(name, value);
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "openkbs" });
        ConfigureLogging(builder.Logging, options);
        var kubeconfig = KubeConfig(options);
        builder.Services.AddSingleton<IKubernetes>(_ => new Kubernetes(kubeconfig));
        builder.Services.AddOpenKbsRuntime(ToRuntimeOptions(options));
        // Controller settings (sections Aws, ClientAccount, ...) from OPENKBS_-prefixed variables, e.g. OPENKBS_Aws__AllowedRegions__0.
        builder.Configuration.AddEnvironmentVariables("OPENKBS_");
        builder.Services.AddOpenKbsControllers(builder.Configuration);
        builder.Services.AddOpenKbsAuditStore(builder.Configuration); // section AuditStore: the durable audit trail (optional; fail closed once set)
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }

    public static RuntimeOptions ToRuntimeOptions(OperatorOptions options) => new()
    {
        Namespaces = options.Namespaces,
        LabelSelector = options.LabelSelector,
        MetricsBindAddress = options.MetricsBindAddress,
        HealthProbeBindAddress = options.HealthProbeBindAddress,
        ResyncInterval = options.ResyncInterval,
        TerminalRecheckInterval = options.TerminalRecheckInterval,
        MaxConcurrentReconciles = options.MaxConcurrentReconciles,
        BackoffCap = options.BackoffCap,
        ShutdownTimeout = options.ShutdownTimeout,
        LeaderElection = new LeaderElectionOptions
        {
            Enabled = options.LeaderElect,
            LeaseName = options.LeaderElectionId,
            LeaseNamespace = options.LeaderElectionNamespace,
            Identity = options.LeaderElectionIdentity,
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        },
    };

    private static KubernetesClientConfiguration KubeConfig(OperatorOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.KubeconfigPath))
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(options.KubeconfigPath);
        }

        return KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildDefaultConfig();
    }

    private static void ConfigureLogging(ILoggingBuilder logging, OperatorOptions options)
    {
        if (!Enum.TryParse<LogLevel>(options.LogLevel, ignoreCase: true, out var level))
        {
            throw new FormatException($"logLevel: '{options.LogLevel}' is not one of Trace, Debug, Information, Warning, Error, Critical");
        }

        logging.ClearProviders();
        logging.SetMinimumLevel(level);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("System.Net.Http", LogLevel.Warning);
        switch (options.LogFormat.ToLowerInvariant())
        {
            case "json":
                logging.AddJsonConsole(o =>
                {
                    o.IncludeScopes = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                });
                break;
            case "text":
                logging.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.IncludeScopes = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "HH:mm:ss.fff ";
                });
                break;
            default:
                throw new FormatException($"logFormat: '{options.LogFormat}' is not json or text");
        }
    }
}
