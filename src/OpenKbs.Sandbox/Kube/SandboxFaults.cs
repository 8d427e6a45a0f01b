using System.Text.RegularExpressions;
using OpenKbs.Sandbox.Kube.Errors;

namespace OpenKbs.Sandbox.Kube;

/// <summary>
/// Fault injection for tests: the next requests that match a method and a path pattern are answered with a proper
/// Kubernetes Status error (e.g. 409 Conflict, 429 TooManyRequests with Retry-After, 500 InternalError, 503, 504)
/// instead of being served. Patterns are .NET regular expressions matched against the path and against path+query.
/// </summary>
public sealed class SandboxFaults
{
    private readonly object _gate = new();
    private readonly List<Rule> _rules = [];

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

    /// <summary>Removes every pending fault.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
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
