using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace OpenKbs.Testing.Aws;

/// <summary>
/// Watches the AWS boundary (every CreateAccount, every create-status read and every account read, with AWS's answers):
/// when each request was accepted and when AWS first showed it finished (its status, its absence from a complete
/// IN_PROGRESS listing, or its account listed), to measure how many creations are in flight.
/// </summary>
public sealed class CreationTimeline : DelegatingHandler
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, TimeSpan> _accepted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeSpan> _finished = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _emails = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(TimeSpan Start, TimeSpan End, string Operation, int Status)> _calls = new();
    private int _refusedForConcurrency;

    /// <summary>Every call that passed, in completion order: when it was sent and answered, its operation and HTTP status.</summary>
    public IReadOnlyCollection<(TimeSpan Start, TimeSpan End, string Operation, int Status)> Calls => _calls;

    /// <summary>Request id to the time AWS accepted it (IN_PROGRESS answer to CreateAccount).</summary>
    public IReadOnlyDictionary<string, TimeSpan> Accepted => _accepted;

    /// <summary>Request id to the time AWS first reported it SUCCEEDED or FAILED.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Finished => _finished;

    /// <summary>CreateAccount calls AWS refused with ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED.</summary>
    public int RefusedForConcurrency => _refusedForConcurrency;

    public TimeSpan Now => _clock.Elapsed;

    /// <summary>
    /// When AWS finishes a creation after a known time (the realism's org-delay), its slot is free from then on, even
    /// before anyone asks: intervals end at the earlier of the first report and accepted + this.
    /// </summary>
    public TimeSpan? AwsDuration { get; init; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var operation = request.Headers.TryGetValues("X-Amz-Target", out var targets) ? targets.First().Split('.').Last() : null;
        var completeInProgressList = false;
        string? createEmail = null;
        if (operation is "ListCreateAccountStatus" or "CreateAccount" && request.Content is not null)
        {
            var body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            var buffered = new ByteArrayContent(body);
            foreach (var header in request.Content.Headers)
            {
                buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            request.Content = buffered;
            var asked = JsonNode.Parse(body.Length == 0 ? "{}"u8 : body) as JsonObject;

            // A complete IN_PROGRESS listing also tells which requests finished: those it leaves out.
            completeInProgressList = operation == "ListCreateAccountStatus" && asked?["NextToken"] is null
                && asked?["States"] is JsonArray states && states.Count == 1 && states[0]?.GetValue<string>() == "IN_PROGRESS";
            createEmail = operation == "CreateAccount" ? asked?["Email"]?.GetValue<string>() : null;
        }

        var sent = Now;
        var response = await base.SendAsync(request, cancellationToken);
        _calls.Enqueue((sent, Now, operation ?? $"{request.Method} {request.RequestUri?.Host}{request.RequestUri?.AbsolutePath}", (int)response.StatusCode));
        if (operation is not ("CreateAccount" or "DescribeCreateAccountStatus" or "ListCreateAccountStatus" or "ListAccounts" or "ListAccountsForParent" or "DescribeAccount"))
        {
            return response;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var contentType = response.Content.Headers.ContentType;
        response.Content = new StringContent(text);
        response.Content.Headers.ContentType = contentType;
        var now = Now;
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return response;
        }

        if (!response.IsSuccessStatusCode)
        {
            if (operation == "CreateAccount" && json?["Reason"]?.GetValue<string>() == "ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED")
            {
                Interlocked.Increment(ref _refusedForConcurrency);
            }

            return response;
        }

        if (operation is "ListAccounts" or "ListAccountsForParent" or "DescribeAccount")
        {
            // An account AWS lists exists: the first request accepted for its email has finished (AWS shows an account
            // only once its creation SUCCEEDED), even when nobody has asked for that request's status since. A later
            // request for the same email (a doomed duplicate) is not finished by this.
            var listed = operation == "DescribeAccount"
                ? json?["Account"] is JsonObject one ? [one] : []
                : (json?["Accounts"] as JsonArray)?.OfType<JsonObject>() ?? [];
            foreach (var email in listed.Select(a => a["Email"]?.GetValue<string>()).OfType<string>())
            {
                var first = _emails.Where(e => string.Equals(e.Value, email, StringComparison.OrdinalIgnoreCase) && _accepted.ContainsKey(e.Key))
                    .OrderBy(e => _accepted[e.Key]).Select(e => e.Key).FirstOrDefault();
                if (first is not null)
                {
                    _finished.TryAdd(first, now);
                }
            }

            return response;
        }

        var statuses = operation == "ListCreateAccountStatus"
            ? (json?["CreateAccountStatuses"] as JsonArray)?.OfType<JsonObject>() ?? []
            : json?["CreateAccountStatus"] is JsonObject single ? [single] : [];
        if (completeInProgressList && json?["NextToken"] is null)
        {
            var listed = statuses.Select(st => st["Id"]?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var id in _accepted.Keys.Where(id => !listed.Contains(id)))
            {
                _finished.TryAdd(id, now);
            }
        }

        foreach (var status in statuses)
        {
            if (status["Id"]?.GetValue<string>() is not { } id)
            {
                continue;
            }

            if (operation == "CreateAccount")
            {
                _accepted.TryAdd(id, now);
                if (createEmail is not null)
                {
                    _emails.TryAdd(id, createEmail);
                }
            }

            if (status["State"]?.GetValue<string>() is "SUCCEEDED" or "FAILED" && _accepted.ContainsKey(id))
            {
                _finished.TryAdd(id, now);
            }
        }

        return response;
    }

    /// <summary>The most creations in flight at once.</summary>
    public int MaxInFlight()
    {
        var events = Intervals().SelectMany(i => new[] { (i.Start, 1), (i.End, -1) }).OrderBy(e => e.Item1).ThenBy(e => e.Item2);
        int current = 0, max = 0;
        foreach (var (_, delta) in events)
        {
            current += delta;
            max = Math.Max(max, current);
        }

        return max;
    }

    /// <summary>
    /// Utilisation of the slots while anything waited: the time-average of creations in flight (at most
    /// <paramref name="slots"/>) between the first and the last CreateAccount, over <paramref name="slots"/>.
    /// </summary>
    public double Utilisation(int slots)
    {
        var intervals = Intervals().ToList();
        var from = intervals.Min(i => i.Start);
        var to = intervals.Max(i => i.Start);
        if (to <= from)
        {
            return 1;
        }

        var points = intervals.SelectMany(i => new[] { i.Start, i.End }).Append(from).Append(to).Where(t => t >= from && t <= to).Distinct().Order().ToList();
        double busy = 0;
        for (var k = 0; k < points.Count - 1; k++)
        {
            var mid = points[k] + ((points[k + 1] - points[k]) / 2);
            var inFlight = intervals.Count(i => i.Start <= mid && mid < i.End);
            busy += Math.Min(slots, inFlight) * (points[k + 1] - points[k]).TotalSeconds;
        }

        return busy / (slots * (to - from).TotalSeconds);
    }

    /// <summary>
    /// The hand-over times once every slot was taken: for each CreateAccount after the first <paramref name="slots"/>,
    /// the time from the moment a slot was free (the earliest finish not yet handed over) to its acceptance, sorted.
    /// </summary>
    public IReadOnlyList<TimeSpan> HandOverGaps(int slots)
    {
        var intervals = Intervals().ToList();
        var starts = intervals.Select(i => i.Start).Order().ToList();
        var ends = intervals.Select(i => i.End).Order().ToList();
        return [.. starts.Skip(slots).Select((start, k) => start - ends[k]).Select(gap => gap < TimeSpan.Zero ? TimeSpan.Zero : gap).Order()];
    }

    private IEnumerable<(TimeSpan Start, TimeSpan End)> Intervals() =>
        _accepted.Select(a =>
        {
            var end = _finished.TryGetValue(a.Key, out var reported) ? reported : Now;
            return (a.Value, AwsDuration is { } duration && a.Value + duration < end ? a.Value + duration : end);
        });
}
