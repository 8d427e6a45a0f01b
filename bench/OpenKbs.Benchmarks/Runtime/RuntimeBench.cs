using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenKbs.Runtime;
using OpenKbs.Runtime.Cache;

namespace OpenKbs.Benchmarks.Runtime;

/// <summary>A runtime wired as in production, without an API server: the store is filled directly, no call leaves the process.</summary>
internal static class RuntimeBench
{
    public static ServiceProvider Build(Action<IServiceCollection> register, int workers)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IKubernetes>(new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:9" }));
        services.AddOpenKbsRuntime(new RuntimeOptions
        {
            MaxConcurrentReconciles = workers,
            MetricsBindAddress = "0",
            HealthProbeBindAddress = "0",
            LeaderElection = new LeaderElectionOptions { Enabled = false },
        });
        register(services);
        return services.BuildServiceProvider();
    }

    public static void Fill(ResourceInformer informer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            informer.Store.Upsert(CacheEntry.From(ProjectFixtures.Project(i)));
        }
    }
}
