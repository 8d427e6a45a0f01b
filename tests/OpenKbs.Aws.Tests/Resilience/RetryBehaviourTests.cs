using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Credentials;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Aws.Tests.Support;

namespace OpenKbs.Aws.Tests.Resilience;

/// <summary>What the pipeline retries, how often, and what reaches the controller, with scripted answers (faults moto cannot produce).</summary>
public sealed class RetryBehaviourTests
{
    private const string Ok = """{"CreateAccountStatus":{"Id":"car-1","State":"IN_PROGRESS"}}""";
    private const string Throttled = """{"__type":"TooManyRequestsException","Message":"slow down"}""";
    private const string Fault = """{"__type":"ServiceException","Message":"oops"}""";

    [Fact]
    public async Task Throttling_is_retried_with_the_attempts_recorded_once()
    {
        var (factory, handler, audit, provider) = Build(ScriptedHandler.Json(400, Throttled), ScriptedHandler.Json(400, Throttled), ScriptedHandler.Json(200, Ok));
        using var _ = provider;
        var result = await factory.ForManagement(AwsTestHost.Actor()).Organizations.CreateAccountAsync(new CreateAccountRequest { Email = "a@example.com", AccountName = "a" });
        Assert.Equal("car-1", result.CreateAccountStatus!.Id);
        Assert.Equal(3, handler.Calls);
        var record = Assert.Single(audit.Records);
        Assert.Equal(3, record.Attempts);
        Assert.Equal(AuditOutcome.Success, record.Outcome);
        Assert.Equal("car-1", record.Resource);
    }

    [Fact]
    public async Task A_non_idempotent_create_is_not_retried_on_a_server_fault()
    {
        var (factory, handler, audit, provider) = Build(ScriptedHandler.Json(500, Fault), ScriptedHandler.Json(200, Ok));
        using var _ = provider;
        var error = await Assert.ThrowsAsync<AwsServiceException>(() =>
            factory.ForManagement(AwsTestHost.Actor()).Organizations.CreateAccountAsync(new CreateAccountRequest { Email = "a@example.com", AccountName = "a" }));
        Assert.Equal("ServiceException", error.ErrorCode);
        Assert.Equal(AwsErrorClassification.Transient, error.Classification);
        Assert.Equal(1, handler.Calls);
        Assert.Equal(AuditOutcome.Failure, Assert.Single(audit.Records).Outcome);
    }

    [Fact]
    public async Task An_idempotent_call_is_retried_on_a_server_fault()
    {
        var (factory, handler, _, provider) = Build(ScriptedHandler.Json(500, Fault), ScriptedHandler.Json(200, """{"Account":{"Id":"111111111111"}}"""));
        using var __ = provider;
        var account = await factory.ForManagement(AwsTestHost.Actor()).Organizations.DescribeAccountAsync(new DescribeAccountRequest { AccountId = "111111111111" });
        Assert.Equal("111111111111", account.Account!.Id);
        Assert.Equal(2, handler.Calls);
    }

    [Fact]
    public async Task Retries_are_bounded_then_the_controller_gets_the_error_with_retry_after()
    {
        var (factory, handler, _, provider) = Build(ScriptedHandler.Json(429, Throttled, ("Retry-After", "0.01")));
        using var __ = provider;
        var error = await Assert.ThrowsAsync<AwsServiceException>(() =>
            factory.ForManagement(AwsTestHost.Actor()).Organizations.DescribeOrganizationAsync(new()));
        Assert.Equal(5, handler.Calls); // 1 + MaxRetryAttempts (4)
        Assert.Equal(5, error.Attempts);
        Assert.True(error.IsThrottling);
        Assert.Equal(TimeSpan.FromMilliseconds(10), error.RetryAfter);
    }

    [Fact]
    public async Task Terminal_errors_are_not_retried()
    {
        var (factory, handler, _, provider) = Build(ScriptedHandler.Json(400, """{"__type":"AccessDeniedException","Message":"no"}"""));
        using var __ = provider;
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => factory.ForManagement(AwsTestHost.Actor()).Organizations.DescribeOrganizationAsync(new()));
        Assert.True(error.IsTerminal);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task A_hanging_attempt_times_out_and_is_classified_transient()
    {
        var (factory, _, _, provider) = Build(
            [_ => throw new TaskCanceledException("hang")],
            o => o.Resilience.MaxRetryAttempts = 0);
        using var __ = provider;
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => factory.ForManagement(AwsTestHost.Actor()).Organizations.DescribeOrganizationAsync(new()));
        Assert.Equal("RequestTimeout", error.ErrorCode);
        Assert.Equal(AwsErrorClassification.Transient, error.Classification);
    }

    private static (IAwsClientFactory Factory, ScriptedHandler Handler, CapturingAuditSink Audit, ServiceProvider Provider) Build(
        params Func<HttpRequestMessage, HttpResponseMessage>[] script) => Build(script, null);

    private static (IAwsClientFactory Factory, ScriptedHandler Handler, CapturingAuditSink Audit, ServiceProvider Provider) Build(
        Func<HttpRequestMessage, HttpResponseMessage>[] script,
        Action<AwsOptions>? configure)
    {
        var handler = new ScriptedHandler(script);
        var audit = new CapturingAuditSink();
        var services = new ServiceCollection();
        services.AddSingleton<IManagementCredentials>(new StaticManagementCredentials(new BasicAWSCredentials("AKIDEXAMPLE", "secret")));
        services.AddSingleton<IAuditSink>(audit);
        services.AddOpenKbsAws(o =>
            {
                o.EndpointUrl = new Uri("http://127.0.0.1:9");
                o.UseEnvironmentEndpoints = false;
                o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(1);
                o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(20);
                configure?.Invoke(o);
            })
            .ConfigurePrimaryHttpMessageHandler(() => handler);
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<IAwsClientFactory>(), handler, audit, provider);
    }
}
