using System.Diagnostics;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenKbs.AuditTrail;
using OpenKbs.Aws;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.Credentials;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Benchmarks.Aws;

namespace OpenKbs.Benchmarks.AuditTrail;

/// <summary>
/// The durable audit store on a local PostgreSQL 15 (started with hack/audit-store.sh in a temporary directory, fsync on):
/// records appended per second (one writer; 8 concurrent callers on one store; 4 stores in parallel, as separate processes
/// would) and the added cost per AWS mutation (intent + outcome, two transactions) through the real pipeline, stub transport.
/// </summary>
internal sealed class AuditStoreMeasurement : IMeasurement
{
    private const int Records = 1000;
    private const int Calls = 500;

    public string Group => "audit";

    public string Title => "Durable audit store (PostgreSQL 15, loopback)";

    public async Task<IReadOnlyList<MeasurementResult>> RunAsync(CancellationToken cancellationToken)
    {
        await using var store = await LocalStore.StartAsync(cancellationToken);
        var options = new AuditStoreOptions { ConnectionString = store.ConnectionString, MigrationConnectionString = store.MigrationConnectionString };
        var results = new List<MeasurementResult>();

        await using (var journal = Journal(options))
        {
            await journal.InitializeAsync(cancellationToken);
            var single = Stopwatch.StartNew();
            for (var i = 0; i < Records; i++)
            {
                await journal.AppendIntentAsync(Record(i), cancellationToken);
            }

            results.Add(new("records/s, one writer", $"{Records / single.Elapsed.TotalSeconds:F0}"));
            results.Add(new("latency per record, one writer", $"{single.Elapsed.TotalMilliseconds / Records:F2} ms"));

            var shared = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(
                async () =>
                {
                    for (var i = 0; i < Records / 8; i++)
                    {
                        await journal.AppendIntentAsync(Record(i), cancellationToken);
                    }
                },
                cancellationToken)));
            results.Add(new("records/s, 8 callers on one store", $"{Records / shared.Elapsed.TotalSeconds:F0}"));
        }

        var journals = Enumerable.Range(0, 4).Select(_ => Journal(options)).ToArray();
        var parallel = Stopwatch.StartNew();
        await Task.WhenAll(journals.Select(j => Task.Run(
            async () =>
            {
                for (var i = 0; i < Records / 4; i++)
                {
                    await j.AppendIntentAsync(Record(i), cancellationToken);
                }
            },
            cancellationToken)));
        results.Add(new("records/s, 4 stores in parallel (advisory lock)", $"{Records / parallel.Elapsed.TotalSeconds:F0}"));
        foreach (var j in journals)
        {
            await j.DisposeAsync();
        }

        var without = await PerMutationAsync(null, cancellationToken);
        var with = await PerMutationAsync(options, cancellationToken);
        results.Add(new("AWS mutation without the store (stub transport), mean", $"{without:F0} µs"));
        results.Add(new("AWS mutation with the store (intent + outcome), mean", $"{with:F0} µs"));
        results.Add(new("added cost per AWS mutation", $"{(with - without) / 1000:F2} ms"));
        var report = await AuditChainVerifier.VerifyAsync(store.ConnectionString, cancellationToken);
        var verify = Stopwatch.StartNew();
        report = await AuditChainVerifier.VerifyAsync(store.ConnectionString, cancellationToken);
        results.Add(new($"audit verify of {report.Checked} records", $"{verify.Elapsed.TotalMilliseconds:F0} ms", "intact", report.Intact));
        return results;
    }

    private static async Task<double> PerMutationAsync(AuditStoreOptions? options, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IManagementCredentials>(new StaticManagementCredentials(new BasicAWSCredentials("AKIDEXAMPLE", "bench-secret")));
        if (options is not null)
        {
            services.AddSingleton(_ => Journal(options));
            services.AddSingleton<IAuditJournal>(p => p.GetRequiredService<PostgresAuditJournal>());
        }

        services.AddOpenKbsAws(o =>
            {
                o.EndpointUrl = new Uri("http://127.0.0.1:9");
                o.UseEnvironmentEndpoints = false;
                o.Resilience.EnableRateLimits = false;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new StubAwsHandler());
        await using var provider = services.BuildServiceProvider();
        var organizations = provider.GetRequiredService<IAwsClientFactory>().ForManagement(AwsHarness.Actor).Organizations;
        var request = new TagResourceRequest { ResourceId = "111111111111", Tags = [new Tag { Key = "openkbs.com/owner", Value = "bench/ClientAccount/bench" }] };
        for (var i = 0; i < 50; i++)
        {
            await organizations.TagResourceAsync(request, cancellationToken);
        }

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Calls; i++)
        {
            await organizations.TagResourceAsync(request, cancellationToken);
        }

        return watch.Elapsed.TotalMicroseconds / Calls;
    }

    private static PostgresAuditJournal Journal(AuditStoreOptions options) => new(Options.Create(options), NullLogger<PostgresAuditJournal>.Instance);

    private static AuditRecord Record(int i) => new()
    {
        Time = DateTimeOffset.UtcNow,
        Action = "organizations:TagResource",
        Resource = "111111111111",
        Details = AuditDetails.Empty.Add("Tags", ["openkbs.com/owner"]).Add("n", i),
        Actor = AwsHarness.Actor,
        SourceIp = "10.0.0.7",
        Region = "eu-central-1",
        Outcome = AuditOutcome.Pending,
    };
}
