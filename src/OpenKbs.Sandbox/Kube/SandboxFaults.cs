using System.Text.RegularExpressions;
using OpenKbs.Sandbox.Kube.Errors;

namespace OpenKbs.Sandbox.Kube;

/// <summary>
/// Fault injection for tests: the next requests that match a method and a path pattern are answered with a proper
/// Kubernetes Status error (e.g. 409 Conflict, 429 TooManyRequests with Retry-After, 500 InternalError, 503, 504)
/// instead of being served. Patterns are .NET regular expressions matched against the path and against path+query.
/// Also a lagging watch: live watch events of matching resources are written only after a delay (an informer behind the
/// API server, as under load or across a slow network).
/// </summary>
public sealed class SandboxFaults
{
    private readonly object _gate = new();
    private readonly List<Rule> _rules = [];
    private (Regex Plural, TimeSpan Delay)? _watchLag;

    /// <summary>Number of injected failures not yet consumed.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _rules.Sum(r => r.Remaining);
            }
        }
    }

    /// <summary>Makes the next <paramref name="times"/> requests matching <paramref name="method"/> ("*" for any) and
    /// <paramref name="pathRegex"/> fail with <paramref name="statusCode"/>.</summary>
    public void FailNext(string method, string pathRegex, int statusCode, int times = 1, string? message = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(pathRegex);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (_gate)
        {
            _rules.Add(new Rule(method.ToUpperInvariant(), new Regex(pathRegex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), statusCode, message) { Remaining = times });
        }
    }

    /// <summary>Delays each live watch event of the resources whose plural matches <paramref name="pluralRegex"/> by <paramref name="delay"/>, until <see cref="Clear"/>.</summary>
    public void DelayWatchEvents(string pluralRegex, TimeSpan delay)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluralRegex);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        lock (_gate)
        {
            _watchLag = (new Regex(pluralRegex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), delay);
        }
    }

    /// <summary>Removes every pending fault and the watch lag.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
            _watchLag = null;
        }
    }

    internal TimeSpan WatchLag(string plural)
    {
        lock (_gate)
        {
            return _watchLag is { } lag && lag.Plural.IsMatch(plural) ? lag.Delay : TimeSpan.Zero;
        }
    }

    internal ApiException? Match(string method, string path, string query)
    {
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                if (rule.Remaining <= 0 || (rule.Method != "*" && !string.Equals(rule.Method, method, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                if (rule.Pattern.IsMatch(path) || rule.Pattern.IsMatch(path + query))
                {
                    rule.Remaining--;
                    _rules.RemoveAll(r => r.Remaining <= 0);
                    return ApiException.ForCode(rule.StatusCode, rule.Message);
                }
            }
        }

        return null;
    }

    private sealed record Rule(string Method, Regex Pattern, int StatusCode, string? Message)
    {
        public int Remaining { get; set; }
    }
}
