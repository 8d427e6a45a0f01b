using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using OpenKbs.Aws;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.Credentials;
using OpenKbs.Aws.Organizations;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Sandbox.Aws.Moto;

namespace OpenKbs.Controllers.Tests.Support;

/// <summary>The AWS access layer as in production, pointed at moto (or a proxy in front of it), with a request log and captured audit.</summary>
internal sealed class AwsHost : IDisposable
{
    private readonly ServiceProvider _provider;

    public AwsHost(Uri endpoint, Action<AwsOptions>? configure = null, IReadOnlyList<DelegatingHandler>? inner = null)
    {
        Calls = new AwsCallRecorder(endpoint);
        var services = new ServiceCollection();
        services.AddLogging();
        AddTo(services, endpoint, Log, Audit, configure, inner);
        services.AddSingleton<OpenKbs.Aws.Pipeline.IAwsCallObserver>(Calls);
        _provider = services.BuildServiceProvider();
    }

    public AwsRequestLog Log { get; } = new();

    public CapturingAuditSink Audit { get; } = new();

    /// <summary>Every call the layer sent (after the EU guard), reads included, with account, actor and IAM actions.</summary>
    public AwsCallRecorder Calls { get; }

    public IAwsClientFactory Factory => _provider.GetRequiredService<IAwsClientFactory>();

    /// <summary>The audit trail of changes outside AWS (records reach <see cref="Audit"/> like the AWS calls').</summary>
    public IChangeAudit ChangeAudit => _provider.GetRequiredService<IChangeAudit>();

    public IOrganizationsClient Organizations => Factory.ForManagement(Actor).Organizations;

    public static AwsActor Actor { get; } = AwsActor.System("tests");

    /// <summary>Registers the AWS layer pointed at <paramref name="endpoint"/> (moto's dummy management credentials, quick retries).</summary>
    public static void AddTo(
        IServiceCollection services, Uri endpoint, AwsRequestLog log, IAuditSink? audit = null, Action<AwsOptions>? configure = null, IReadOnlyList<DelegatingHandler>? inner = null)
    {
        services.AddSingleton<IManagementCredentials>(new StaticManagementCredentials(new BasicAWSCredentials(MotoDefaults.AccessKeyId, MotoDefaults.SecretAccessKey)));
        if (audit is not null)
        {
            services.AddSingleton(audit);
        }

        var http = services.AddOpenKbsAws(o =>
        {
            o.EndpointUrl = endpoint;
            o.UseEnvironmentEndpoints = false;
            o.SourceAddress = "10.0.0.9";
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(20);
            o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(300);
            o.Resilience.EnableRateLimits = false;
            configure?.Invoke(o);
        });
        http.AddHttpMessageHandler(() => log);
        foreach (var handler in inner ?? [])
        {
            http.AddHttpMessageHandler(() => handler);
        }

        http.SetHandlerLifetime(Timeout.InfiniteTimeSpan);
    }

    /// <summary>Creates the organization (moto starts without one) and returns its root id.</summary>
    public static async Task<string> CreateOrganizationAsync(IOrganizationsClient organizations)
    {
        await organizations.CreateOrganizationAsync(new CreateOrganizationRequest { FeatureSet = "ALL" });
        return (await organizations.ListRootsAsync(new ListRootsRequest())).Roots.Single().Id!;
    }

    public void Dispose()
    {
        _provider.Dispose();
        Calls.Dispose();
    }
}
