using System.Globalization;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenKbs.AuditTrail;
using OpenKbs.Controllers;
using OpenKbs.Runtime;

namespace OpenKbs.Operator.Hosting;

/// <summary>Builds and runs the operator host (`openkbs run`).</summary>
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
        catch (OptionsValidationException ex)
        {
            return await InvalidAsync(ex).ConfigureAwait(false);
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
            catch (OptionsValidationException ex)
            {
                return await InvalidAsync(ex).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OpenKbs.Operator").LogCritical(ex, "The operator stopped on an error");
                return 1;
            }
        }
    }

    private static async Task<int> InvalidAsync(OptionsValidationException ex)
    {
        await Console.Error.WriteLineAsync($"openkbs run: invalid {ex.OptionsType.Name}: {string.Join("; ", ex.Failures)}").ConfigureAwait(false);
        return 2;
    }

    /// <summary>Builds the host: Kubernetes client, runtime, controllers, JSON or text logs.</summary>
    public static IHost Build(OperatorOptions options, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "openkbs" });
        ConfigureLogging(builder.Logging, options);
        var kubeconfig = KubeConfig(options);
        builder.Services.AddSingleton<IKubernetes>(_ => new Kubernetes(kubeconfig));
        // One configuration for every room, each binding its section (Runtime, Aws, ClientAccount, Project) into validated
        // options: OPENKBS_-prefixed variables (e.g. OPENKBS_Aws__AllowedRegions__0), then the flags, OPENKBS_<SETTING>
        // variables and --config file of `openkbs run`, which win.
        builder.Configuration.AddEnvironmentVariables("OPENKBS_");
        builder.Configuration.AddInMemoryCollection(RuntimeSection(options));
        builder.Services.AddOpenKbsRuntime(builder.Configuration.GetSection(RuntimeSectionName));
        builder.Services.AddOpenKbsControllers(builder.Configuration);
        builder.Services.AddOpenKbsAuditStore(builder.Configuration); // section AuditStore: the durable audit trail (optional; fail closed once set)
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>The configuration section the runtime binds its <see cref="RuntimeOptions"/> from.</summary>
    public const string RuntimeSectionName = "Runtime";

    /// <summary>The runtime's settings of <paramref name="options"/> as configuration keys of section <see cref="RuntimeSectionName"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> RuntimeSection(OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [nameof(RuntimeOptions.LabelSelector)] = options.LabelSelector,
            [nameof(RuntimeOptions.MetricsBindAddress)] = options.MetricsBindAddress,
            [nameof(RuntimeOptions.HealthProbeBindAddress)] = options.HealthProbeBindAddress,
            [nameof(RuntimeOptions.ResyncInterval)] = Span(options.ResyncInterval),
            [nameof(RuntimeOptions.TerminalRecheckInterval)] = Span(options.TerminalRecheckInterval),
            [nameof(RuntimeOptions.MaxConcurrentReconciles)] = options.MaxConcurrentReconciles.ToString(CultureInfo.InvariantCulture),
            [nameof(RuntimeOptions.BackoffCap)] = Span(options.BackoffCap),
            [nameof(RuntimeOptions.ShutdownTimeout)] = Span(options.ShutdownTimeout),
            ["LeaderElection:Enabled"] = options.LeaderElect ? "true" : "false",
            ["LeaderElection:LeaseName"] = options.LeaderElectionId,
            ["LeaderElection:LeaseNamespace"] = options.LeaderElectionNamespace,
            ["LeaderElection:Identity"] = options.LeaderElectionIdentity,
            ["LeaderElection:LeaseDuration"] = Span(options.LeaseDuration),
            ["LeaderElection:RenewDeadline"] = Span(options.RenewDeadline),
            ["LeaderElection:RetryPeriod"] = Span(options.RetryPeriod),
        };
        for (var i = 0; i < options.Namespaces.Count; i++)
        {
            values[$"{nameof(RuntimeOptions.Namespaces)}:{i}"] = options.Namespaces[i];
        }

        return values.Where(kv => kv.Value is not null).Select(kv => new KeyValuePair<string, string?>($"{RuntimeSectionName}:{kv.Key}", kv.Value));

        static string Span(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
    }

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
