using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Credentials;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Aws.Regions;
using OpenKbs.Aws.Resilience;

namespace OpenKbs.Aws;

/// <summary>Registers the AWS access layer.</summary>
public static class AwsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IAwsClientFactory"/> and everything behind it: options (validated at startup: EU-only allowlist), the region
    /// guard, endpoint resolution, the standard credential chain (unless an <see cref="IManagementCredentials"/> is registered),
    /// 900-second sessions, resilience, and the audit trail with the structured-log sink (add more <see cref="IAuditSink"/>s freely).
    /// Returns the builder of the HttpClient every AWS call uses, to add DelegatingHandlers (fault injection, request counting).
    /// </summary>
    public static IHttpClientBuilder AddOpenKbsAws(this IServiceCollection services, Action<AwsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<AwsOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AwsOptions>, AwsOptionsValidator>());
        services.AddLogging();
        // The clock and the randomness (retry jitter) are injected; tests replace them.
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(Random.Shared);
        services.TryAddSingleton<AwsRegionGuard>();
        services.TryAddSingleton<AwsEndpointResolver>();
        services.TryAddSingleton<IManagementCredentials, DefaultChainManagementCredentials>();
        services.TryAddSingleton<ISourceAddressProvider, SourceAddressProvider>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditSink, LoggingAuditSink>());
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<IChangeAudit, ChangeAudit>();
        services.TryAddSingleton<AwsResiliencePipelines>();
        services.TryAddSingleton<AwsRequestPipeline>();
        services.TryAddSingleton<AwsSdkClientConfig>();
        services.TryAddSingleton<AssumeRoleSessions>();
        services.TryAddSingleton<IAwsClientFactory, AwsClientFactory>();
        return services.AddHttpClient(AwsRequestPipeline.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
    }
}
