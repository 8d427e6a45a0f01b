using System.Diagnostics;
using OpenKbs.Aws.Iam.Model;
using OpenKbs.Aws.Organizations.Model;

namespace OpenKbs.Benchmarks.Aws;

/// <summary>Client-side cost of one AWS call (guard, Polly, encode, SigV4, decode) with a stub transport and no rate limits.</summary>
internal sealed class AwsPipelineOverheadMeasurement : IMeasurement
{
    private const int Calls = 2000;

    public string Group => "aws";

    public string Title => "Pipeline overhead per call (stub transport)";

    public async Task<IReadOnlyList<MeasurementResult>> RunAsync(CancellationToken cancellationToken)
    {
        var (factory, provider) = AwsHarness.Build(rateLimits: false);
        await using var _ = provider;
        var clients = factory.ForManagement(AwsHarness.Actor);
        for (var i = 0; i < 200; i++)
        {
            await clients.Organizations.DescribeAccountAsync(new DescribeAccountRequest { AccountId = "111111111111" }, cancellationToken);
            await clients.Iam.GetRoleAsync(new GetRoleRequest { RoleName = "r" }, cancellationToken);
        }

        var json = Stopwatch.StartNew();
        for (var i = 0; i < Calls; i++)
        {
            await clients.Organizations.DescribeAccountAsync(new DescribeAccountRequest { AccountId = "111111111111" }, cancellationToken);
        }

        json.Stop();
        var query = Stopwatch.StartNew();
        for (var i = 0; i < Calls; i++)
        {
            await clients.Iam.GetRoleAsync(new GetRoleRequest { RoleName = "r" }, cancellationToken);
        }

        query.Stop();
        var jsonMicros = json.Elapsed.TotalMicroseconds / Calls;
        var queryMicros = query.Elapsed.TotalMicroseconds / Calls;
        return
        [
            new("awsJson1_1 DescribeAccount, mean per call", $"{jsonMicros:F0} µs"),
            new("awsQuery GetRole, mean per call", $"{queryMicros:F0} µs"),
        ];
    }
}
