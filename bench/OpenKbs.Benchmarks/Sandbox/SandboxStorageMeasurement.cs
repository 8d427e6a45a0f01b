using System.Diagnostics;
using k8s;

namespace OpenKbs.Benchmarks.Sandbox;

/// <summary>
/// 50,000 objects of one kind in the sandbox API server: create throughput over HTTP, memory held, and the time of a
/// full list (raw JSON, through KubernetesClient, and as the Table kubectl asks for).
/// </summary>
internal sealed class SandboxStorageMeasurement : IMeasurement
{
    private const int Objects = 50_000;

    public string Group => "sandbox";

    public string Title => $"API server: {Objects:N0} objects of one kind";

    public async Task<IReadOnlyList<MeasurementResult>> RunAsync(CancellationToken cancellationToken)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var (server, http) = await SandboxBench.StartAsync();
        await using (server)
        using (http)
        {
            var afterStart = GC.GetTotalMemory(forceFullCollection: true);
            var create = Stopwatch.StartNew();
            await SandboxBench.FillAsync(http, Objects);
            create.Stop();
            var afterFill = GC.GetTotalMemory(forceFullCollection: true);
            var perObject = (afterFill - afterStart) / (double)Objects;

            var sizeProbe = await SandboxBench.SendAsync(http, HttpMethod.Get, $"/apis/{SandboxBench.Group}/v1/namespaces/bench/{SandboxBench.Plural}/gadget-000042");

            // Warm-up once, then the measured runs (best of three).
            await ListRawAsync(http);
            var raw = await BestOfAsync(() => ListRawAsync(http));
            using var client = new Kubernetes(server.ClientConfiguration());
            var typed = await BestOfAsync(async () =>
            {
                var list = await client.CustomObjects.ListNamespacedCustomObjectAsync(SandboxBench.Group, "v1", "bench", SandboxBench.Plural, cancellationToken: cancellationToken);
                return list is null ? 0 : 1;
            });
            var table = await BestOfAsync(() => ListRawAsync(http, "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"));
            var selector = await BestOfAsync(() => ListRawAsync(http, null, "?labelSelector=shard%3D3"));
            var paged = await BestOfAsync(() => PagedAsync(http));

            return
            [
                new MeasurementResult("objects", $"{server.CountObjects(SandboxBench.Group, SandboxBench.Plural):N0}"),
                new MeasurementResult("object size (JSON, with managedFields)", $"{sizeProbe.Length:N0} bytes"),
                new MeasurementResult("create over HTTP, 4 clients", SandboxBench.Format(Objects / create.Elapsed.TotalSeconds, "objects/s")),
                new MeasurementResult("managed heap held, per object", SandboxBench.Format(perObject, "bytes")),
                new MeasurementResult("managed heap held, total (objects + 10,000-event history)", SandboxBench.Format((afterFill - baseline) / 1024d / 1024d, "MiB")),
                new MeasurementResult("full list, raw JSON over HTTP", SandboxBench.Format(raw.TotalMilliseconds, "ms"), "< 2,000 ms", raw < TimeSpan.FromSeconds(2)),
                new MeasurementResult("full list, KubernetesClient (deserialized)", SandboxBench.Format(typed.TotalMilliseconds, "ms"), "< 2,000 ms", typed < TimeSpan.FromSeconds(2)),
                new MeasurementResult("full list as Table (kubectl get)", SandboxBench.Format(table.TotalMilliseconds, "ms")),
                new MeasurementResult("list with label selector (1/16 match)", SandboxBench.Format(selector.TotalMilliseconds, "ms")),
                new MeasurementResult("paged list, limit=500, all pages", SandboxBench.Format(paged.TotalMilliseconds, "ms")),
            ];
        }
    }

    private static async Task<int> ListRawAsync(HttpClient http, string? accept = null, string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"apis/{SandboxBench.Group}/v1/namespaces/bench/{SandboxBench.Plural}{query}");
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return bytes.Length;
    }

    private static async Task<int> PagedAsync(HttpClient http)
    {
        var pages = 0;
        string? token = null;
        do
        {
            var text = await SandboxBench.SendAsync(http, HttpMethod.Get, $"/apis/{SandboxBench.Group}/v1/namespaces/bench/{SandboxBench.Plural}?limit=500" + (token is null ? string.Empty : "&continue=" + Uri.EscapeDataString(token)));
            var meta = System.Text.Json.Nodes.JsonNode.Parse(text)!["metadata"]!;
            token = meta["continue"]?.GetValue<string>();
            pages++;
        }
        while (token is not null);
        return pages;
    }

    private static async Task<TimeSpan> BestOfAsync(Func<Task<int>> run)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            await run();
            sw.Stop();
            if (sw.Elapsed < best)
            {
                best = sw.Elapsed;
            }
        }

        return best;
    }
}
