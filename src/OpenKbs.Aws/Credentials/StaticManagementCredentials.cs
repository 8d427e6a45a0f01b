using Amazon.Runtime;

namespace OpenKbs.Aws.Credentials;

/// <summary>Fixed credentials (tests, emulators). Production uses the standard chain.</summary>
public sealed class StaticManagementCredentials(AWSCredentials credentials) : IManagementCredentials
{
    public ValueTask<AWSCredentials> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(credentials);
}
