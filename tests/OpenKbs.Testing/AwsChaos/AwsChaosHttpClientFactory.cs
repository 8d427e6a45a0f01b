using Amazon.Runtime;
using OpenKbs.Sandbox.Aws.Chaos;

namespace OpenKbs.Testing.AwsChaos;

/// <summary>
/// Plugs an <see cref="AwsChaosEngine"/> under an official AWS SDK client:
/// <c>new AmazonS3Config { ServiceURL = moto, HttpClientFactory = new AwsChaosHttpClientFactory(engine) }</c>.
/// </summary>
public sealed class AwsChaosHttpClientFactory(AwsChaosEngine engine) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        var client = new HttpClient(engine.CreateHandler(), disposeHandler: true);
        if (clientConfig.Timeout is { } timeout)
        {
            client.Timeout = timeout;
        }

        return client;
    }

    /// <summary>One client per SDK client instance: never share the SDK's cached HttpClient across engines.</summary>
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
}
