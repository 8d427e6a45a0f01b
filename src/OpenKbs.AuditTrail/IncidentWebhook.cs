using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenKbs.Aws.Audit;

namespace OpenKbs.AuditTrail;

/// <summary>
/// Settings of the incident notifications (configuration section <c>Incidents</c>, e.g. <c>OPENKBS_Incidents__WebhookUrl</c>).
/// Without <see cref="WebhookUrl"/> incidents are recorded and raised as events and conditions, and nobody is called.
/// </summary>
public sealed class IncidentOptions
{
    public const string SectionName = "Incidents";

    /// <summary>
    /// The http(s) URL every incident notification (opened, acknowledged, closed, a deadline approaching) is POSTed to as JSON. Must
    /// not carry credentials (user info).
    /// </summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Seconds one POST may take.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>POSTs per notification before it is given up (logged).</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Wait before the second attempt; doubled each time, at most <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the outbox is read for notifications owed (besides the nudge after an incident opened here).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long before each Art. 23 deadline (24 h, 72 h, one month) its reminder is sent, once per incident and deadline.</summary>
    public TimeSpan DeadlineLead { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Every violated rule, named by its setting (never a URL's value beyond its scheme).</summary>
    public IEnumerable<string> Failures()
    {
        if (!string.IsNullOrWhiteSpace(WebhookUrl))
        {
            if (!Uri.TryCreate(WebhookUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                yield return "Incidents:WebhookUrl must be an absolute http or https URL";
            }
            else if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                yield return "Incidents:WebhookUrl must not carry credentials (user info); the notification holds no secret and needs none";
            }
        }

        if (TimeoutSeconds is < 1 or > 300)
        {
            yield return $"Incidents:TimeoutSeconds must be between 1 and 300 (was {TimeoutSeconds})";
        }

        if (MaxAttempts is < 1 or > 100)
        {
            yield return $"Incidents:MaxAttempts must be between 1 and 100 (was {MaxAttempts})";
        }

        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            yield return $"Incidents:InitialBackoff must be positive and at most Incidents:MaxBackoff (were {InitialBackoff}, {MaxBackoff})";
        }

        if (PollInterval < TimeSpan.FromMilliseconds(100) || PollInterval > TimeSpan.FromHours(1))
        {
            yield return $"Incidents:PollInterval must be between 00:00:00.1 and 01:00:00 (was {PollInterval})";
        }

        if (DeadlineLead <= TimeSpan.Zero || DeadlineLead >= Incident.EarlyWarningWithin)
        {
            yield return $"Incidents:DeadlineLead must be positive and less than 24 h (was {DeadlineLead})";
        }
    }
}

/// <summary>
/// Delivers the incident notifications of the outbox (<see cref="IncidentOutbox"/>) to <see cref="IncidentOptions.WebhookUrl"/>: HTTP
/// POST of the JSON written with the incident or change (ids, cause, summary, the three Art. 23 deadlines; no secret), oldest
/// first, each retried with exponential backoff on network errors, timeouts, 408, 429 and 5xx and given up after
/// <see cref="IncidentOptions.MaxAttempts"/> or on another 4xx; each failed attempt (with when the next is due) and the delivery
/// (or giving up) are written to the store, so a notification is owed until then and its retry count and backoff go on where they
/// were, across restarts (delivered at least once; an attempt whose failure could not be written is counted again). Each round also writes the reminders of deadlines
/// within <see cref="IncidentOptions.DeadlineLead"/>. Rounds run every <see cref="IncidentOptions.PollInterval"/> and at once after
/// <see cref="Wake"/>; one replica at a time (a session advisory lock). Never blocks a reconcile: <see cref="Wake"/> only signals.
/// Without a URL or a store it does nothing (the outbox keeps what is owed).
/// </summary>
public sealed partial class IncidentWebhook : BackgroundService
{
    /// <summary>The advisory lock key of the dispatching replica.</summary>
    private const long DispatchLockKey = AuditSchema.ChainLockKey + 3;

    private readonly IncidentOptions _options;
    private readonly TimeProvider? _time;
    private readonly ILogger<IncidentWebhook> _logger;
    private readonly HttpClient _http;
    private readonly Uri? _url;
    private readonly NpgsqlDataSource? _source;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private int _delivered;
    private int _givenUp;

    /// <summary>The operator's clock (deadlines, backoff; without it nothing is dispatched); <c>handler</c> replaces the HTTP stack (tests); <c>store</c>: the outbox.</summary>
    public IncidentWebhook(
        IOptions<IncidentOptions> options, ILogger<IncidentWebhook> logger, TimeProvider? time = null, HttpMessageHandler? handler = null, IOptions<AuditStoreOptions>? store = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _logger = logger;
        _url = string.IsNullOrWhiteSpace(_options.WebhookUrl) ? null : new Uri(_options.WebhookUrl);
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = TimeSpan.FromSeconds(_options.TimeoutSeconds);
        if (store?.Value is { IsConfigured: true } configured)
        {
            _source = NpgsqlDataSource.Create(PostgresAuditJournal.WithTimeouts(configured.ConnectionString!, configured.TimeoutSeconds));
        }
    }

    /// <summary>A URL, a store and the operator's clock: the dispatcher runs.</summary>
    public bool Configured => _url is not null && _source is not null && _time is not null;

    /// <summary>Notifications delivered (2xx) by this process.</summary>
    public int Delivered => Volatile.Read(ref _delivered);

    /// <summary>Notifications given up by this process.</summary>
    public int GivenUp => Volatile.Read(ref _givenUp);

    /// <summary>A notification was written to the outbox: deliver it now rather than at the next poll. Never blocks, never throws.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Woken already.
            }
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        _source?.Dispose();
        _wake.Dispose();
        base.Dispose();
    }

    /// <summary>One round: the reminders owed, then every notification owed whose retry is due. Returns the wait before the next retry due (or null).</summary>
    public async Task<TimeSpan?> DispatchAsync(CancellationToken cancellationToken)
    {
        if (!Configured)
        {
            return null;
        }

        await using var connection = await _source!.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({DispatchLockKey})", connection))
        {
            if (!(bool)(await take.ExecuteScalarAsync(cancellationToken))!)
            {
                return null; // another replica dispatches
            }
        }

        try
        {
            var now = _time!.GetUtcNow();
            var reminders = await IncidentOutbox.PlanDeadlinesAsync(_source, now, _options.DeadlineLead, cancellationToken);
            if (reminders > 0)
            {
                LogReminders(_logger, reminders);
            }

            TimeSpan? next = null;
            foreach (var notification in await IncidentOutbox.OwedAsync(_source, 100, cancellationToken))
            {
                now = _time.GetUtcNow();
                if (notification.NextAt is { } due && due > now)
                {
                    next = Min(next, due - now);
                    continue;
                }

                var wait = await SendAsync(notification, cancellationToken);
                if (wait is { } w)
                {
                    next = Min(next, w);
                }
            }

            return next;
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({DispatchLockKey})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Configured)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan? retry = null;
            try
            {
                retry = await DispatchAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // what is owed stays in the outbox
            }
            catch (Exception ex)
            {
                // The store unreachable (or anything else): the next round tries again; nothing owed is lost.
                LogRoundFailed(_logger, ex.GetType().Name, ex.Message);
            }

            var wait = retry is { } r && r < _options.PollInterval ? r : _options.PollInterval;
            try
            {
                await _wake.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One attempt at <paramref name="notification"/>; records the delivery or the giving up. Returns the backoff when it is to be retried.</summary>
    private async Task<TimeSpan?> SendAsync(OwedNotification notification, CancellationToken cancellationToken)
    {
        var attempt = notification.Attempts + 1;
        string problem;
        var retry = true;
        try
        {
            using var content = new StringContent(notification.Payload, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var response = await _http.PostAsync(_url, content, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                await IncidentOutbox.RecordDeliveryAsync(_source!, notification.Id, delivered: true, attempt, null, cancellationToken);
                Interlocked.Increment(ref _delivered);
                LogDelivered(_logger, notification.Incident, notification.Kind, attempt);
                return null;
            }

            var code = (int)response.StatusCode;
            problem = $"HTTP {code}";
            retry = code >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
        }
        catch (HttpRequestException ex)
        {
            problem = ex.HttpRequestError.ToString();
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            problem = $"no answer within {_options.TimeoutSeconds} s";
        }

        if (!retry || attempt >= _options.MaxAttempts)
        {
            await IncidentOutbox.RecordDeliveryAsync(_source!, notification.Id, delivered: false, attempt, problem, cancellationToken);
            Interlocked.Increment(ref _givenUp);
            LogGivenUp(_logger, notification.Incident, notification.Kind, attempt, problem);
            return null;
        }

        var backoff = Backoff(attempt);
        await IncidentOutbox.RecordAttemptAsync(_source!, notification.Id, attempt, problem, _time!.GetUtcNow() + backoff, cancellationToken);
        LogRetry(_logger, notification.Incident, notification.Kind, attempt, problem, backoff.TotalSeconds);
        return backoff;
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/>: <see cref="IncidentOptions.InitialBackoff"/> doubled per attempt before it, at most the maximum.</summary>
    internal TimeSpan Backoff(int attempt)
    {
        var backoff = _options.InitialBackoff;
        for (var i = 1; i < attempt && backoff < _options.MaxBackoff; i++)
        {
            backoff += backoff;
        }

        return backoff < _options.MaxBackoff ? backoff : _options.MaxBackoff;
    }

    private static TimeSpan? Min(TimeSpan? a, TimeSpan b) => a is { } x && x < b ? x : b;

    [LoggerMessage(EventId = 4050, Level = LogLevel.Information, Message = "Incident {Id}: notification {Kind} delivered to the webhook (attempt {Attempt})")]
    private static partial void LogDelivered(ILogger logger, long id, string kind, int attempt);

    [LoggerMessage(EventId = 4051, Level = LogLevel.Warning, Message = "Incident {Id}: webhook attempt {Attempt} of notification {Kind} failed ({Problem}); next in {Seconds} s")]
    private static partial void LogRetry(ILogger logger, long id, string kind, int attempt, string problem, double seconds);

    [LoggerMessage(EventId = 4052, Level = LogLevel.Error,
        Message = "Incident {Id}: webhook notification {Kind} given up after {Attempts} attempt(s) ({Problem}); the incident stays recorded")]
    private static partial void LogGivenUp(ILogger logger, long id, string kind, int attempts, string problem);

    [LoggerMessage(EventId = 4053, Level = LogLevel.Error, Message = "Incident notifications: a dispatch round failed ({Error}: {Message}); the next round tries again")]
    private static partial void LogRoundFailed(ILogger logger, string error, string message);

    [LoggerMessage(EventId = 4055, Level = LogLevel.Information, Message = "Incident notifications: {Count} deadline reminder(s) written to the outbox")]
    private static partial void LogReminders(ILogger logger, int count);
}
