using System.Collections.Concurrent;

namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>
/// Decides the fault of each call: scripted faults first (in the order they were scripted), then a
/// draw from the seeded stream of the call's <c>service:Operation</c>.
/// </summary>
internal sealed class FaultPlanner(AwsChaosSpec spec)
{
    private readonly ConcurrentDictionary<string, long> _draws = new(StringComparer.Ordinal);
    private readonly List<ScriptedFault> _scripted = [];
    private readonly Lock _gate = new();

    public void Script(AwsFaultKind kind, string? service, string? operation, int count, bool afterBackend)
    {
        lock (_gate)
        {
            _scripted.Add(new ScriptedFault(kind, service, operation, afterBackend) { Remaining = count });
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _scripted.Clear();
        }

        _draws.Clear();
    }

    public FaultDecision Decide(AwsRequestInfo request)
    {
        var key = request.Key;
        var targeted = spec.HasFaults && spec.Targets(request.Service, request.Operation);
        var n = targeted ? _draws.AddOrUpdate(key, 1, (_, previous) => previous + 1) : 0;
        var latency = targeted ? spec.Latency : TimeSpan.Zero;
        if (targeted && spec.LatencyMax > spec.Latency)
        {
            latency += (spec.LatencyMax - spec.Latency) * SeededRandom.Unit(spec.Seed, "latency", key, n);
        }

        lock (_gate)
        {
            var scripted = _scripted.FirstOrDefault(s => s.Matches(request));
            if (scripted is not null)
            {
                if (--scripted.Remaining == 0)
                {
                    _scripted.Remove(scripted);
                }

                return new FaultDecision(scripted.Kind, scripted.AfterBackend, latency, Scripted: true);
            }
        }

        if (!targeted)
        {
            return default;
        }

        var u = SeededRandom.Unit(spec.Seed, "fault", key, n);
        AwsFaultKind? kind = null;
        if (u < spec.Throttle)
        {
            kind = AwsFaultKind.Throttle;
        }
        else if (u < spec.Throttle + spec.Error)
        {
            kind = SeededRandom.Unit(spec.Seed, "error", key, n) < 0.5 ? AwsFaultKind.InternalError : AwsFaultKind.ServiceUnavailable;
        }
        else if (u < spec.Throttle + spec.Error + spec.Reset)
        {
            kind = AwsFaultKind.ConnectionReset;
        }
        else if (u < spec.Throttle + spec.Error + spec.Reset + spec.Timeout)
        {
            kind = AwsFaultKind.Timeout;
        }

        var after = kind is not null and not AwsFaultKind.Throttle && spec.After > 0 && SeededRandom.Unit(spec.Seed, "after", key, n) < spec.After;
        return new FaultDecision(kind, after, latency, Scripted: false);
    }

    private sealed record ScriptedFault(AwsFaultKind Kind, string? Service, string? Operation, bool AfterBackend)
    {
        public int Remaining { get; set; }

        public bool Matches(AwsRequestInfo request) =>
            (Service is null || Service == request.Service) && (Operation is null || Operation == request.Operation);
    }
}
