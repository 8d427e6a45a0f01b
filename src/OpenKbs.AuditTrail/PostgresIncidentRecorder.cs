using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenKbs.Aws.Audit;

namespace OpenKbs.AuditTrail;

/// <summary>
/// The operator's <see cref="IIncidentRecorder"/>: incidents in the audit store (<see cref="PostgresIncidentStore"/>), a newly
/// opened one's notification written to the outbox in the same transaction and the webhook dispatcher woken
/// (<see cref="IncidentWebhook"/>, never waited for). The store unreachable:
/// <see cref="AuditTrailUnavailableException"/>, as for the journal.
/// </summary>
public sealed partial class PostgresIncidentRecorder : IIncidentRecorder, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly AuditStoreOptions _options;
    private readonly IncidentWebhook _webhook;
    private readonly ILogger<PostgresIncidentRecorder> _logger;

    public PostgresIncidentRecorder(IOptions<AuditStoreOptions> options, IncidentWebhook webhook, ILogger<PostgresIncidentRecorder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        if (!_options.IsConfigured)
        {
            throw new InvalidOperationException("AuditStore:ConnectionString is not set.");
        }

        _webhook = webhook;
        _logger = logger;
        _dataSource = NpgsqlDataSource.Create(PostgresAuditJournal.WithTimeouts(_options.ConnectionString!, _options.TimeoutSeconds));
    }

    public async Task<IncidentOpening> OpenAsync(IncidentReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        try
        {
            var opening = await PostgresIncidentStore.OpenAsync(_dataSource, report, _options.OperatorIdentity, cancellationToken);
            if (opening.Opened)
            {
                LogOpened(_logger, opening.Incident.Id, report.Namespace, report.Cause, report.Subject, opening.Incident.EarlyWarningDue);
                _webhook.Wake();
            }

            return opening;
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            _dataSource.Clear();
            throw new AuditTrailUnavailableException($"The audit store could not record the incident {report.Cause} of {report.Subject}: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    public async Task<IReadOnlyList<Incident>> OpenIncidentsAsync(string @namespace, CancellationToken cancellationToken)
    {
        try
        {
            return await PostgresIncidentStore.ListAsync(_dataSource, @namespace, includeClosed: false, cancellationToken);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            _dataSource.Clear();
            throw new AuditTrailUnavailableException($"The audit store could not list the incidents of {@namespace}: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    public async Task<IReadOnlyList<Incident>> CauseClearedAsync(IncidentClearance clearance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clearance);
        try
        {
            var marked = await PostgresIncidentStore.CauseClearedAsync(_dataSource, clearance, cancellationToken);
            foreach (var incident in marked)
            {
                LogCauseCleared(_logger, incident.Id, clearance.Namespace, clearance.Cause, clearance.Subject, clearance.How);
            }

            if (marked.Count > 0)
            {
                _webhook.Wake();
            }

            return marked;
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            _dataSource.Clear();
            throw new AuditTrailUnavailableException(
                $"The audit store could not record that the cause {clearance.Cause} of {clearance.Subject} cleared: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static bool IsUnavailable(Exception ex) => ex is NpgsqlException or TimeoutException or SocketException or IOException;

    [LoggerMessage(EventId = 4056, Level = LogLevel.Information,
        Message = "Incident {Id} in namespace {Namespace}: the cause {Cause} of {Subject} cleared ({How}); open until a person closes it")]
    private static partial void LogCauseCleared(ILogger logger, long id, string @namespace, string cause, string subject, string how);

    [LoggerMessage(EventId = 4054, Level = LogLevel.Warning,
        Message = "Incident {Id} opened in namespace {Namespace}: {Cause} of {Subject}; early warning due {EarlyWarningDue:O}")]
    private static partial void LogOpened(ILogger logger, long id, string @namespace, string cause, string subject, DateTimeOffset earlyWarningDue);
}
