using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Runtime;
using OpenKbs.Runtime.Cache;

namespace OpenKbs.Benchmarks.Runtime;

/// <summary>Managed heap per 1,000 cached Project-sized objects (~2 KB of JSON each): heap after a full GC, with and without them.</summary>
internal sealed class CacheMemoryPerObject : IMeasurement
{
    private const int Objects = 10_000;

    public string Group => "runtime";

    public string Title => "informer cache memory";

    public Task<IReadOnlyList<MeasurementResult>> RunAsync(CancellationToken cancellationToken)
    {
        using var provider = RuntimeBench.Build(services => services.AddResourceCache<Project>(ResourceDescriptor.For<Project>()), workers: 1);
        var informer = provider.GetRequiredService<InformerRegistry>().Get(typeof(Project));
        var jsonBytes = JsonSerializer.SerializeToUtf8Bytes(ProjectFixtures.Project(0)).Length;

        var before = HeapAfterFullGc();
        RuntimeBench.Fill(informer, Objects);
        var after = HeapAfterFullGc();
        GC.KeepAlive(informer);

        var perThousandMb = (after - before) / (double)Objects * 1_000 / (1024 * 1024);
        IReadOnlyList<MeasurementResult> results =
        [
            new MeasurementResult("API JSON per Project (managedFields included)", $"{jsonBytes:N0} B"),
            new MeasurementResult($"managed heap per 1,000 cached Projects ({Objects:N0} cached)", $"{perThousandMb:N2} MB", "< 5 MB", perThousandMb < 5),
        ];
        return Task.FromResult(results);
    }

    private static long HeapAfterFullGc()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
