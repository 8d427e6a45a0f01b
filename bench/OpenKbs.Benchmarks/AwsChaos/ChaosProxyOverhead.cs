using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Sandbox.Aws.Moto;

namespace OpenKbs.Benchmarks.AwsChaos;

/// <summary>
/// What the chaos layer costs when it injects nothing: the same sequential calls straight to moto,
/// through the in-process handler, and through the proxy (spec off, and realism on).
/// </summary>
internal sealed class ChaosProxyOverhead : IMeasurement
{
    private const int Calls = 300;

    public string Group => "awschaos";

    public string Title => "AWS chaos layer overhead per call (moto behind it, nothing injected)";

    public async Task<IReadOnlyList<MeasurementResult>> RunAsync(CancellationToken cancellationToken)
    {
        await using var moto = await MotoLauncher.StartAsync(cancellationToken: cancellationToken);
        await using var proxy = await AwsChaosProxy.StartAsync(moto.Endpoint, AwsChaosSpec.None, cancellationToken);
        await using var realism = await AwsChaosProxy.StartAsync(moto.Endpoint, AwsChaosSpec.Parse("realism=on"), cancellationToken);
        using var direct = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var handler = new HttpClient(new AwsChaosEngine(AwsChaosSpec.None).CreateHandler());

        var baseline = await MeasureAsync(direct, moto.Endpoint, cancellationToken);
        var inProcess = await MeasureAsync(handler, moto.Endpoint, cancellationToken);
        var proxied = await MeasureAsync(direct, proxy.Endpoint, cancellationToken);
        var withRealism = await MeasureAsync(direct, realism.Endpoint, cancellationToken);
        return
        [
            new("moto direct, p50 / p95 per call", $"{Ms(baseline, 0.5)} / {Ms(baseline, 0.95)}"),
            new("handler in-process, p50 / p95 per call", $"{Ms(inProcess, 0.5)} / {Ms(inProcess, 0.95)}"),
            new("proxy, spec off, p50 / p95 per call", $"{Ms(proxied, 0.5)} / {Ms(proxied, 0.95)}"),
            new("proxy, realism on (Lambda GetFunction rewritten), p50 / p95 per call", $"{Ms(withRealism, 0.5)} / {Ms(withRealism, 0.95)}"),
            new("proxy overhead at p50", $"{Ms(proxied, 0.5, baseline)}", "< 5 ms", Percentile(proxied, 0.5) - Percentile(baseline, 0.5) < 5),
        ];
    }

    private static async Task<List<double>> MeasureAsync(HttpClient client, Uri endpoint, CancellationToken cancellationToken)
    {
        using (var create = Request(HttpMethod.Post, endpoint, "/2015-03-31/functions", "lambda", """{"FunctionName":"bench","Runtime":"nodejs24.x","Role":"arn:aws:iam::123456789012:role/bench","Handler":"index.handler","Code":{"ZipFile":"UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="}}"""))
        {
            await Role(client, endpoint, cancellationToken);
            using var _ = await client.SendAsync(create, cancellationToken);
        }

        var samples = new List<double>(Calls);
        for (var i = 0; i < Calls + 20; i++)
        {
            using var request = Request(HttpMethod.Get, endpoint, "/2015-03-31/functions/bench", "lambda", body: null);
            var watch = Stopwatch.StartNew();
            using var response = await client.SendAsync(request, cancellationToken);
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (i >= 20)
            {
                samples.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        samples.Sort();
        return samples;
    }

    private static async Task Role(HttpClient client, Uri endpoint, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, endpoint, "/", "iam", body: null);
        request.Content = new StringContent("Action=CreateRole&Version=2010-05-08&RoleName=bench&AssumeRolePolicyDocument=%7B%7D", Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var _ = await client.SendAsync(request, cancellationToken);
    }

    private static HttpRequestMessage Request(HttpMethod method, Uri endpoint, string path, string service, string? body)
    {
        var request = new HttpRequestMessage(method, new Uri(endpoint, path));
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={MotoDefaults.AccessKeyId}/20250101/eu-central-1/{service}/aws4_request, SignedHeaders=host, Signature=0");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return request;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Round(p * (sorted.Count - 1)))];

    private static string Ms(List<double> sorted, double p, List<double>? minus = null) =>
        (Percentile(sorted, p) - (minus is null ? 0 : Percentile(minus, p))).ToString("0.00", CultureInfo.InvariantCulture) + " ms";
}
