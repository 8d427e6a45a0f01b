using System.Diagnostics;

namespace OpenKbs.Benchmarks.Sandbox;

/// <summary>10 concurrent watchers of one kind, each receiving every one of N updates: end-to-end fan-out time.</summary>
internal sealed class SandboxWatchMeasurement : IMeasurement
{
    private const int Watchers = 10;
    private const int Objects = 1_000;
    private const int Updates = 5_000;

    public string Group => "sandbox";

    public string Title => $"API server: {Watchers} watchers, {Updates:N0} updates";

    public async Task<IReadOnlyList<MeasurementResult>> RunAsync(CancellationToken cancellationToken)
    {
        var (server, http) = await SandboxBench.StartAsync();
        await using (server)
        using (http)
        {
            await SandboxBench.FillAsync(http, Objects);
            var listText = await SandboxBench.SendAsync(http, HttpMethod.Get, $"/apis/{SandboxBench.Group}/v1/namespaces/bench/{SandboxBench.Plural}?limit=1");
            var rv = System.Text.Json.Nodes.JsonNode.Parse(listText)!["metadata"]!["resourceVersion"]!.GetValue<string>();

            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var received = new int[Watchers];
            var watchers = new List<Task>();
            var streams = new List<(HttpClient, HttpResponseMessage)>();
            for (var w = 0; w < Watchers; w++)
            {
                var client = new HttpClient { BaseAddress = server.Url, Timeout = Timeout.InfiniteTimeSpan };
                var response = await client.GetAsync($"apis/{SandboxBench.Group}/v1/namespaces/bench/{SandboxBench.Plural}?watch=true&resourceVersion={rv}", HttpCompletionOption.ResponseHeadersRead, cts.Token);
                streams.Add((client, response));
                var index = w;
                watchers.Add(Task.Run(
                    async () =>
                    {
                        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
                        while (received[index] < Updates && await reader.ReadLineAsync(cts.Token) is { } line)
                        {
                            if (line.StartsWith("{\"type\":\"MODIFIED\"", StringComparison.Ordinal))
                            {
                                received[index]++;
                            }
                        }
                    },
                    cts.Token));
            }

            var sw = Stopwatch.StartNew();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < Updates)
                {
                    await SandboxBench.SendAsync(http, HttpMethod.Patch, $"/apis/{SandboxBench.Group}/v1/namespaces/bench/{SandboxBench.Plural}/gadget-{i % Objects:D6}",
                        "{\"spec\":{\"replicas\":" + ((i / Objects) + 10).ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}", "application/merge-patch+json");
                }
            }));
            var written = sw.Elapsed;
            await Task.WhenAll(watchers);
            sw.Stop();
            foreach (var (client, response) in streams)
            {
                response.Dispose();
                client.Dispose();
            }

            var delivered = received.Sum();
            return
            [
                new MeasurementResult("watchers", Watchers.ToString(System.Globalization.CultureInfo.InvariantCulture), "10", true),
                new MeasurementResult("updates written (merge patch, 4 clients)", SandboxBench.Format(Updates / written.TotalSeconds, "updates/s")),
                new MeasurementResult("events delivered", $"{delivered:N0} of {Watchers * Updates:N0}", $"{Watchers * Updates:N0}", delivered == Watchers * Updates),
                new MeasurementResult("all events at all watchers after", SandboxBench.Format(sw.Elapsed.TotalMilliseconds, "ms")),
                new MeasurementResult("event deliveries per second", SandboxBench.Format(delivered / sw.Elapsed.TotalSeconds, "events/s")),
            ];
        }
    }
}
