namespace OpenKbs.Aws.Pipeline;

/// <summary>Routes an official AWS SDK client through the same named HttpClient (and so the same handlers) as the hand-written clients.</summary>
internal sealed class SdkHttpClientFactory(IHttpClientFactory factory) : Amazon.Runtime.HttpClientFactory
{
    public override HttpClient CreateHttpClient(Amazon.Runtime.IClientConfig clientConfig) => factory.CreateClient(AwsRequestPipeline.HttpClientName);

    public override bool UseSDKHttpClientCaching(Amazon.Runtime.IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(Amazon.Runtime.IClientConfig clientConfig) => true;

    public override string GetConfigUniqueString(Amazon.Runtime.IClientConfig clientConfig) => AwsRequestPipeline.HttpClientName;
}
