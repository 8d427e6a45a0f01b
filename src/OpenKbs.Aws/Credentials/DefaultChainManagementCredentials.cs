using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace OpenKbs.Aws.Credentials;

/// <summary>The standard AWS credential chain through AWSSDK.Core's <see cref="DefaultAWSCredentialsIdentityResolver"/> (it caches and refreshes).</summary>
internal sealed class DefaultChainManagementCredentials : IManagementCredentials, IDisposable
{
    private readonly DefaultAWSCredentialsIdentityResolver _resolver = new();

    public async ValueTask<AWSCredentials> GetAsync(CancellationToken cancellationToken) =>
        await _resolver.ResolveIdentityAsync(null!, cancellationToken);

    public void Dispose() => _resolver.Dispose();
}
