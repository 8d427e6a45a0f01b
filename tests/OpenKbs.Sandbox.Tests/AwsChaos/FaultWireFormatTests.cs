using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Sandbox.Tests.AwsChaos;

/// <summary>
/// Every injected fault, for every service the operator calls, is parsed by botocore (the aws CLI's
/// client, an independent official AWS client) into the code, status and retry class AWS uses.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class FaultWireFormatTests(MotoServerFixture moto)
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Dictionary<string, JsonObject>? s_results;

    // service (botocore), signing name, operation, params, throttle code + status, internal-error code
    private static readonly (string Service, string Signing, string Op, JsonObject Params, string Throttle, int ThrottleStatus, string Internal)[] Services =
    [
        ("organizations", "organizations", "list_accounts", [], "TooManyRequestsException", 400, "ServiceException"),
        ("iam", "iam", "list_roles", [], "Throttling", 400, "ServiceFailure"),
        ("sts", "sts", "get_caller_identity", [], "Throttling", 400, "InternalFailure"),
        ("rds", "rds", "describe_db_clusters", [], "Throttling", 400, "InternalFailure"),
        ("lambda", "lambda", "list_functions", [], "TooManyRequestsException", 429, "ServiceException"),
        ("cloudfront", "cloudfront", "list_distributions", [], "Throttling", 400, "InternalError"),
        ("s3", "s3", "list_buckets", [], "SlowDown", 503, "InternalError"),
        ("account", "account", "get_primary_email", new JsonObject { ["AccountId"] = "123456789012" }, "TooManyRequestsException", 429, "InternalServerException"),
        ("scheduler", "scheduler", "list_schedules", [], "ThrottlingException", 429, "InternalServerException"),
        ("events", "events", "list_rules", [], "ThrottlingException", 400, "InternalException"),
        ("kms", "kms", "list_keys", [], "ThrottlingException", 400, "KMSInternalException"),
        ("ce", "ce", "get_cost_and_usage", new JsonObject
        {
            ["TimePeriod"] = new JsonObject { ["Start"] = "2025-01-01", ["End"] = "2025-02-01" },
            ["Granularity"] = "MONTHLY",
            ["Metrics"] = new JsonArray("UnblendedCost"),
        }, "LimitExceededException", 400, "InternalFailure"),
        ("cloudwatch", "monitoring", "get_metric_data", new JsonObject
        {
            ["MetricDataQueries"] = new JsonArray(new JsonObject
            {
                ["Id"] = "q",
                ["MetricStat"] = new JsonObject
                {
                    ["Metric"] = new JsonObject { ["Namespace"] = "AWS/Lambda", ["MetricName"] = "Invocations" },
                    ["Period"] = 60,
                    ["Stat"] = "Sum",
                },
            }),
        }, "Throttling", 400, "InternalServiceError"),
    ];

    public static TheoryData<string> ServiceNames => [.. Services.Select(s => s.Service)];

    private async Task<Dictionary<string, JsonObject>> ResultsAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (s_results is not null)
            {
                return s_results;
            }

            await moto.ResetAsync();
            await using var proxy = await AwsChaosProxy.StartAsync(moto.Endpoint, AwsChaosSpec.Parse("hang=5s"));
            var cases = new JsonArray();
            foreach (var s in Services)
            {
                foreach (var fault in new[] { nameof(AwsFaultKind.Throttle), nameof(AwsFaultKind.InternalError), nameof(AwsFaultKind.ServiceUnavailable) })
                {
                    cases.Add(new JsonObject
                    {
                        ["name"] = s.Service + "/" + fault,
                        ["service"] = s.Service,
                        ["signing"] = s.Signing,
                        ["op"] = s.Op,
                        ["params"] = s.Params.DeepClone(),
                        ["fault"] = fault,
                    });
                }
            }

            // The SDK retries a throttle and then succeeds; the proxy saw every attempt.
            cases.Add(new JsonObject { ["name"] = "retried", ["service"] = "lambda", ["signing"] = "lambda", ["op"] = "list_functions", ["params"] = new JsonObject(), ["fault"] = "Throttle", ["count"] = 2, ["attempts"] = 3 });
            cases.Add(new JsonObject { ["name"] = "reset", ["service"] = "iam", ["signing"] = "iam", ["op"] = "list_roles", ["params"] = new JsonObject(), ["fault"] = "ConnectionReset" });
            cases.Add(new JsonObject { ["name"] = "timeout", ["service"] = "iam", ["signing"] = "iam", ["op"] = "list_roles", ["params"] = new JsonObject(), ["fault"] = "Timeout", ["readTimeout"] = 1 });
            s_results = await BotocoreRunner.RunAsync(proxy.Endpoint, cases);
            s_stats = proxy.Engine.Stats;
            return s_results;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static AwsChaosStats? s_stats;

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public async Task Throttling_is_the_services_own_error_and_botocore_treats_it_as_throttling(string service)
    {
        var expected = Services.Single(s => s.Service == service);
        var result = (await ResultsAsync())[service + "/Throttle"];

        Assert.Equal(expected.Throttle, result.Field("code"));
        Assert.Equal(expected.ThrottleStatus.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Field("status"));
        Assert.Equal("true", result.Field("throttling"));
        Assert.False(string.IsNullOrEmpty(result.Field("message")), "botocore found no message");
        Assert.Equal(service == "lambda" ? "1" : null, result.Field("retryAfter"));
    }

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public async Task A_500_carries_the_services_internal_error_code(string service)
    {
        var expected = Services.Single(s => s.Service == service);
        var result = (await ResultsAsync())[service + "/InternalError"];

        Assert.Equal((expected.Internal, "500"), (result.Field("code"), result.Field("status")));
    }

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public async Task A_503_is_ServiceUnavailable(string service)
    {
        var result = (await ResultsAsync())[service + "/ServiceUnavailable"];

        Assert.Equal(("ServiceUnavailable", "503"), (result.Field("code"), result.Field("status")));
    }

    [Fact]
    public async Task Botocore_retries_throttles_and_succeeds_and_every_attempt_is_counted()
    {
        var result = (await ResultsAsync())["retried"];

        Assert.Equal("true", result.Field("ok"));
        Assert.True(s_stats!.FaultsByOperation.GetValueOrDefault("lambda:ListFunctions") >= 3, "two retried throttles plus the earlier lambda faults");
    }

    [Fact]
    public async Task A_reset_connection_and_a_hang_surface_as_connection_errors_in_botocore()
    {
        var results = await ResultsAsync();

        Assert.Equal("ConnectionClosedError", results["reset"].Field("exception"));
        Assert.Equal("ReadTimeoutError", results["timeout"].Field("exception"));
        Assert.Equal(1, s_stats!.Count(AwsFaultKind.ConnectionReset));
        Assert.Equal(1, s_stats.Count(AwsFaultKind.Timeout));
    }
}
