using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.Credentials;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Aws.Tests.Support;

/// <summary>The AWS layer wired as in production, pointed at moto, with request counting, optional faults, captured logs and audit.</summary>
internal sealed class AwsTestHost : IDisposable
{
    /// <summary>Management secrets used by every test; the no-secret tests look for them in every output.</summary>
    public const string ManagementAccessKey = "AKIAOPENKBSTEST00001";
    public const string ManagementSecret = "openkbs/management/secret+DO-NOT-LOG-0123456789";

    private readonly ServiceProvider _provider;

    public AwsTestHost(MotoServerFixture moto, TimeProvider? time = null, DelegatingHandler? faults = null, Action<AwsOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddSingleton<IManagementCredentials>(new StaticManagementCredentials(new BasicAWSCredentials(ManagementAccessKey, ManagementSecret)));
        services.AddSingleton<IAuditSink>(Audit);
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        var http = services.AddOpenKbsAws(o =>
        {
            o.EndpointUrl = moto.Endpoint;
            o.UseEnvironmentEndpoints = false;
            o.AllowedRegions.Add("eu-west-1");
            o.SourceAddress = "10.0.0.7";
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(5);
            o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(100);
            configure?.Invoke(o);
        });
        http.SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        http.AddHttpMessageHandler(() => Counter);
        if (faults is not null)
        {
            http.AddHttpMessageHandler(() => faults);
        }

        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public RequestCounter Counter { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public CapturingAuditSink Audit { get; } = new();

    public IAwsClientFactory Factory => _provider.GetRequiredService<IAwsClientFactory>();

    public IServiceProvider Services => _provider;

    public static AwsActor Actor(string name = "acme") => new() { Controller = "ClientAccount", Namespace = "tenants", Kind = "ClientAccount", Name = name, Uid = "uid-" + name };

    public void Dispose() => _provider.Dispose();
}
