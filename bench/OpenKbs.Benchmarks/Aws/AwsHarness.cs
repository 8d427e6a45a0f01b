using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using OpenKbs.Aws;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.Credentials;

namespace OpenKbs.Benchmarks.Aws;

/// <summary>The AWS layer as production wires it, with a stub transport.</summary>
internal static class AwsHarness
{
    public static readonly AwsActor Actor = new() { Controller = "Bench", Namespace = "bench", Kind = "ClientAccount", Name = "bench" };

    public static (IAwsClientFactory Factory, ServiceProvider Provider) Build(bool rateLimits)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IManagementCredentials>(new StaticManagementCredentials(new BasicAWSCredentials("AKIDEXAMPLE", "bench-secret")));
        services.AddOpenKbsAws(o =>
            {
                o.EndpointUrl = new Uri("http://127.0.0.1:9");
                o.UseEnvironmentEndpoints = false;
                o.Resilience.EnableRateLimits = rateLimits;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new StubAwsHandler());
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<IAwsClientFactory>(), provider);
    }
}
