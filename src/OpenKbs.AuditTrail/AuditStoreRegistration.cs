using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.CloudWatch;

namespace OpenKbs.AuditTrail;

/// <summary>
/// Wires the durable audit store from configuration section <c>AuditStore</c>: when <c>ConnectionString</c> is set, the
/// PostgreSQL journal becomes the AWS layer's <see cref="IAuditJournal"/> (every mutation recorded before it is sent, fail
/// closed) and is initialised at start, and the same database keeps the daily consumption figures (<see cref="IUsageLedger"/>,
/// collected by <see cref="IUsageCollector"/>) and the NIS2 Art. 23 incident records (<see cref="IIncidentRecorder"/>, notified to the
/// webhook of section <c>Incidents</c>); when not, the operator runs with the log and Event sinks only and warns at start.
/// </summary>
public static class AuditStoreRegistration
{
    public static IServiceCollection AddOpenKbsAuditStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(AuditStoreOptions.SectionName);
        services.AddOptions<AuditStoreOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditStoreOptions>, AuditStoreOptionsValidator>());
        if (!string.IsNullOrWhiteSpace(section[nameof(AuditStoreOptions.ConnectionString)]))
        {
            services.TryAddSingleton<PostgresAuditJournal>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditJournal, PostgresAuditJournal>(p => p.GetRequiredService<PostgresAuditJournal>()));
            services.TryAddSingleton<IUsageLedger, PostgresUsageLedger>();
            services.TryAddSingleton<IUsageCollector, DailyUsageCollector>();
            services.TryAddSingleton<IIncidentRecorder, PostgresIncidentRecorder>();
            if (!string.IsNullOrWhiteSpace(section[nameof(AuditStoreOptions.AnchorBucket)]))
            {
                // The chains' heads anchored in the S3 Object Lock bucket, through the operator's AWS layer (IAwsClientFactory).
                services.TryAddSingleton<IChainAnchorSink>(p => new S3AnchorSink(
                    p.GetRequiredService<IAwsClientFactory>(), p.GetRequiredService<IOptions<AuditStoreOptions>>().Value, p.GetRequiredService<TimeProvider>()));
            }

            services.TryAddSingleton(p => new AuditChainWatch(
                p.GetRequiredService<IOptions<AuditStoreOptions>>(), p.GetRequiredService<IIncidentRecorder>(), p.GetRequiredService<ILogger<AuditChainWatch>>(),
                p.GetRequiredService<TimeProvider>(), p.GetService<IChainAnchorSink>(), p.GetRequiredService<PostgresAuditJournal>()));
        }

        // Section Incidents: the webhook the outbox's notifications are delivered to (optional), refused at registration when invalid.
        var incidents = new IncidentOptions();
        configuration.GetSection(IncidentOptions.SectionName).Bind(incidents);
        var failures = incidents.Failures().ToList();
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(nameof(IncidentOptions), typeof(IncidentOptions), failures);
        }

        services.TryAddSingleton<IOptions<IncidentOptions>>(Options.Create(incidents));
        services.TryAddSingleton(p => new IncidentWebhook(
            p.GetRequiredService<IOptions<IncidentOptions>>(), p.GetRequiredService<ILogger<IncidentWebhook>>(), p.GetService<TimeProvider>(),
            store: p.GetRequiredService<IOptions<AuditStoreOptions>>()));
        services.AddHostedService(p => p.GetRequiredService<IncidentWebhook>());

        services.AddHostedService<AuditStoreStartup>();
        if (!string.IsNullOrWhiteSpace(section[nameof(AuditStoreOptions.ConnectionString)]))
        {
            // After the startup (migrations): the background chain verification, first run at start.
            services.AddHostedService(p => p.GetRequiredService<AuditChainWatch>());
        }

        return services;
    }
}

/// <summary>At start: initialises the store (migrations, recovery of unresolved intents) or warns that there is none.</summary>
internal sealed partial class AuditStoreStartup(IServiceProvider services, ILogger<AuditStoreStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var journal = services.GetService<PostgresAuditJournal>();
        if (journal is null)
        {
            LogNotConfigured(logger);
            return;
        }

        try
        {
            var unknown = await journal.InitializeAsync(cancellationToken);
            LogReady(logger, unknown);
        }
        catch (AuditTrailUnavailableException ex)
        {
            // Not fatal: every AWS change is refused (AuditTrailUnavailable) until the store answers; reads and Kubernetes work go on.
            LogUnavailable(logger, ex.Message);
        }

        if (services.GetService<IChainAnchorSink>() is { } anchors)
        {
            // The same fail-closed start for the anchor bucket: checked now, and until it passes every AWS change is refused with
            // the problem as its message (checked again at most every minute by the next change); reads and Kubernetes work go on.
            journal.UseAnchorCheck(anchors.ProblemAsync);
            if (await journal.CheckAnchorAsync(cancellationToken) is { } problem)
            {
                LogAnchorUnusable(logger, problem);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 4042, Level = LogLevel.Warning,
        Message = "No durable audit store configured (AuditStore:ConnectionString): AWS changes are recorded only in logs and Kubernetes Events, which expire")]
    private static partial void LogNotConfigured(ILogger logger);

    [LoggerMessage(EventId = 4043, Level = LogLevel.Information, Message = "Durable audit store ready; {Unknown} earlier change(s) marked Unknown")]
    private static partial void LogReady(ILogger logger, int unknown);

    [LoggerMessage(EventId = 4075, Level = LogLevel.Critical,
        Message = "Audit anchor bucket unusable at start: no AWS change is made until it is fixed ({Problem})")]
    private static partial void LogAnchorUnusable(ILogger logger, string problem);

    [LoggerMessage(EventId = 4044, Level = LogLevel.Error,
        Message = "Durable audit store unreachable at start: no AWS change is made until it answers ({Error})")]
    private static partial void LogUnavailable(ILogger logger, string error);
}
