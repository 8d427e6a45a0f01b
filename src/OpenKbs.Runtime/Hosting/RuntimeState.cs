using System.Text;
using OpenKbs.Runtime.Cache;

namespace OpenKbs.Runtime.Hosting;

/// <summary>Shared state behind <see cref="IRuntimeStatus"/>.</summary>
internal sealed class RuntimeState(RuntimeIdentity identity, InformerRegistry informers) : IRuntimeStatus
{
    private volatile bool _isLeader;
    private volatile bool _running;
    private volatile string? _loopFailure;

    public string Identity => identity.Identity;

    public bool IsLeader
    {
        get => _isLeader;
        set => _isLeader = value;
    }

    public bool Running
    {
        get => _running;
        set => _running = value;
    }

    public string? LoopFailure
    {
        get => _loopFailure;
        set => _loopFailure = value;
    }

    public bool CachesSynced => informers.All.All(i => i.HasSynced);

    public bool IsReady => _running && CachesSynced;

    public Uri? MetricsEndpoint { get; set; }

    public Uri? HealthEndpoint { get; set; }

    public (bool Healthy, string Detail) CheckHealth()
    {
        var healthy = true;
        var detail = new StringBuilder();
        if (_loopFailure is { } failure)
        {
            healthy = false;
            detail.Append("runtime: ").AppendLine(failure);
        }

        foreach (var informer in informers.All)
        {
            var health = informer.Health();
            healthy &= health.Healthy;
            detail.Append(health.Healthy ? "[+] " : "[-] ").AppendLine(health.Detail);
        }

        detail.Append("leader: ").AppendLine(_isLeader ? "yes" : "no (standby)");
        return (healthy, detail.ToString());
    }
}
