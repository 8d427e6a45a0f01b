using Amazon;
using Amazon.Runtime;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Regions;

namespace OpenKbs.Aws.Pipeline;

/// <summary>
/// Configures an official AWS SDK client config (STS, S3, KMS) the OpenKBS way: region checked by the EU guard, endpoint from
/// <see cref="AwsEndpointResolver"/> (overrides included, the SDK's own AWS_ENDPOINT_URL handling off), HTTP through the shared
/// named HttpClient, and the SDK's own retries off because <see cref="AwsRequestPipeline.InvokeSdkAsync{T}"/> retries.
/// </summary>
internal sealed class AwsSdkClientConfig(AwsEndpointResolver endpoints, AwsRegionGuard guard, IHttpClientFactory httpClientFactory, Microsoft.Extensions.Options.IOptions<AwsOptions> options)
{
    public TConfig Apply<TConfig>(TConfig config, AwsService service, string region)
        where TConfig : ClientConfig
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(service);
        guard.EnsureCallAllowed(service, region, "configure");
        var endpoint = endpoints.Resolve(service, region);
        config.IgnoreConfiguredEndpointUrls = true;
        config.MaxErrorRetry = 0;
        config.HttpClientFactory = new SdkHttpClientFactory(httpClientFactory);
        config.Timeout = options.Value.Resilience.AttemptTimeout;
        if (endpoint.IsOverride)
        {
            config.ServiceURL = endpoint.BaseUri.ToString();
            config.AuthenticationRegion = endpoint.SigningRegion;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(endpoint.SigningRegion);
        }

        return config;
    }
}
