using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenKbs.Aws.Audit;

namespace OpenKbs.AuditTrail;

/// <summary>
/// Settings of the incident notifications (configuration section <c>Incidents</c>, e.g. <c>OPENKBS_Incidents__WebhookUrl</c>).
/// Without <see cref="WebhookUrl"/> incidents are recorded and raised as events and conditions, and nobody is called.
/// </summary>
public sealed class IncidentOptions
{
    public const string SectionName = "Incidents";

    /// <summary>The http(s) URL every newly opened incident is POSTed to as JSON. Must not carry credentials (user info).</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Seconds one POST may take.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>POSTs per notification before it is given up (logged).</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Wait before the second attempt; doubled each time, at most <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Notifications waiting to be sent at most; beyond, the newest is dropped and logged (the incident itself is recorded).</summary>
    public int QueueCapacity { get; set; } = 1000;

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

        if (QueueCapacity < 1)
        {
            yield return $"Incidents:QueueCapacity must be at least 1 (was {QueueCapacity})";
        }
    }
}

/// <summary>
/// Sends newly opened incidents to <see cref="IncidentOptions.WebhookUrl"/>: HTTP POST of JSON (<see cref="Payload"/>: ids, cause,
/// summary, the three Art. 23 deadlines; no secret), retried with exponential backoff on network errors, timeouts, 408, 429 and
/// 5xx, given up after <see cref="IncidentOptions.MaxAttempts"/> or on another 4xx. <see cref="Enqueue"/> never blocks and never
/// throws: the sending runs in the background, so a reconcile never waits for the webhook.
/// </summary>
public sealed partial class IncidentWebhook : BackgroundService
{
    private readonly IncidentOptions _options;
    private readonly TimeProvider? _time;
    private readonly ILogger<IncidentWebhook> _logger;
    private readonly Channel<Incident> _queue;
    private readonly HttpClient _http;
    private readonly Uri? _url;

    /// <summary>The clock of the backoff waits is the operator's when given (without one, the system's timers); <c>handler</c> replaces the HTTP stack (tests).</summary>
    public IncidentWebhook(IOptions<IncidentOptions> options, ILogger<IncidentWebhook> logger, TimeProvider? time = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _logger = logger;
        _url = string.IsNullOrWhiteSpace(_options.WebhookUrl) ? null : new Uri(_options.WebhookUrl);
        _queue = Channel.CreateBounded<Incident>(new BoundedChannelOptions(_options.QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = TimeSpan.FromSeconds(_options.TimeoutSeconds);
    }

    public bool Configured => _url is not null;

    /// <summary>Notifications delivered (2xx) since start.</summary>
    public int Delivered => Volatile.Read(ref _delivered);

    /// <summary>Notifications given up since start.</summary>
    public int GivenUp => Volatile.Read(ref _givenUp);

    private int _delivered;
    private int _givenUp;

    /// <summary>Queues <paramref name="incident"/> for sending (nothing when no URL is configured).</summary>
    public void Enqueue(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        if (_url is null)
        {
            return;
        }

        if (!_queue.Writer.TryWrite(incident))
        {
            Interlocked.Increment(ref _givenUp);
            LogDropped(_logger, incident.Id, incident.Namespace, _options.QueueCapacity);
        }
    }

    /// <summary>The JSON body of the notification of <paramref name="incident"/>.</summary>
    public static string Payload(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "openkbs.incident.opened");
            json.WriteNumber("id", incident.Id);
            json.WriteString("namespace", incident.Namespace);
            json.WriteString("cause", incident.Cause);
            json.WriteString("subject", incident.Subject);
            if (incident.Resource is { } resource)
            {
                json.WriteString("resource", resource);
            }

            json.WriteString("summary", incident.Summary);
            json.WriteString("detectedAt", Time(incident.DetectedAt));
            json.WriteString("earlyWarningDue", Time(incident.EarlyWarningDue));
            json.WriteString("notificationDue", Time(incident.NotificationDue));
            json.WriteString("reportDue", Time(incident.ReportDue));
            json.WriteString("openedBy", incident.OpenedBy);
            json.WriteStartObject("details");
            foreach (var (key, value) in incident.Details.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, AuditDetails.IsSecretName(key) ? "[redacted]" : value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var incident in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await SendAsync(incident, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued is in the store (`openkbs incident list`).
        }
    }

    private async Task SendAsync(Incident incident, CancellationToken cancellationToken)
    {
        var body = Payload(incident);
        var backoff = _options.InitialBackoff;
        for (var attempt = 1; ; attempt++)
        {
            string problem;
            var retry = true;
            try
            {
                using var content = new StringContent(body, Encoding.UTF8);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                using var response = await _http.PostAsync(_url, content, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _delivered);
                    LogDelivered(_logger, incident.Id, incident.Namespace, attempt);
                    return;
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
                Interlocked.Increment(ref _givenUp);
                LogGivenUp(_logger, incident.Id, incident.Namespace, attempt, problem);
                return;
            }

            LogRetry(_logger, incident.Id, attempt, problem, backoff.TotalSeconds);
            await (_time is null ? Task.Delay(backoff, cancellationToken) : Task.Delay(backoff, _time, cancellationToken));
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 4050, Level = LogLevel.Information, Message = "Incident {Id} of namespace {Namespace} notified to the webhook (attempt {Attempt})")]
    private static partial void LogDelivered(ILogger logger, long id, string @namespace, int attempt);

    [LoggerMessage(EventId = 4051, Level = LogLevel.Warning, Message = "Incident {Id}: webhook attempt {Attempt} failed ({Problem}); next in {Seconds} s")]
    private static partial void LogRetry(ILogger logger, long id, int attempt, string problem, double seconds);

    [LoggerMessage(EventId = 4052, Level = LogLevel.Error,
        Message = "Incident {Id} of namespace {Namespace}: webhook notification given up after {Attempts} attempt(s) ({Problem}); the incident stays recorded")]
    private static partial void LogGivenUp(ILogger logger, long id, string @namespace, int attempts, string problem);

    [LoggerMessage(EventId = 4053, Level = LogLevel.Error,
        Message = "Incident {Id} of namespace {Namespace}: webhook queue full ({Capacity}); notification dropped, the incident stays recorded")]
    private static partial void LogDropped(ILogger logger, long id, string @namespace, int capacity);
}
