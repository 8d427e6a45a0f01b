using Amazon.SecurityToken;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Aws.Sts.Model;

namespace OpenKbs.Aws.Sts;

/// <summary>GetCallerIdentity over the official client, through the shared pipeline (regional STS, never the global host).</summary>
internal sealed class StsClient : IStsClient
{
    // GetCallerIdentity needs no permission: AWS answers it even when an explicit deny names it.
    internal static readonly AwsOperation GetCallerIdentity = AwsOperation.Read(AwsServices.Sts, nameof(GetCallerIdentity)) with { Iam = [] };

    private readonly AwsRequestPipeline _pipeline;
    private readonly AwsCallScope _scope;
    private readonly ScopedSdkClient<AmazonSecurityTokenServiceClient> _client;

    public StsClient(AwsRequestPipeline pipeline, AwsCallScope scope, AwsSdkClientConfig sdkConfig)
    {
        _pipeline = pipeline;
        _scope = scope;
        _client = new ScopedSdkClient<AmazonSecurityTokenServiceClient>(
            scope,
            credentials => new AmazonSecurityTokenServiceClient(credentials, sdkConfig.Apply(new AmazonSecurityTokenServiceConfig(), AwsServices.Sts, scope.Region)));
    }

    public async Task<GetCallerIdentityResponse> GetCallerIdentityAsync(GetCallerIdentityRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await _pipeline.InvokeSdkAsync(
            _scope,
            GetCallerIdentity,
            async token => await (await _client.GetAsync(token)).GetCallerIdentityAsync(new Amazon.SecurityToken.Model.GetCallerIdentityRequest(), token),
            null,
            cancellationToken);
        return new GetCallerIdentityResponse { Account = response.Account, Arn = response.Arn, UserId = response.UserId };
    }
}
