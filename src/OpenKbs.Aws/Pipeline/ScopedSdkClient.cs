using Amazon.Runtime;

namespace OpenKbs.Aws.Pipeline;

/// <summary>
/// An official AWS SDK client (S3, KMS, STS) bound to an <see cref="AwsCallScope"/>: built on first use with the scope's current
/// credentials, and rebuilt when those change (a new 900-second session). The SDK client's HTTP goes through the shared named
/// HttpClient (see <see cref="AwsSdkClientConfig"/>), so dropping an old client leaks nothing.
/// </summary>
internal sealed class ScopedSdkClient<TClient>(AwsCallScope scope, Func<AWSCredentials, TClient> create)
    where TClient : class
{
    private readonly Lock _lock = new();
    private (string AccessKey, string? Token, TClient Client)? _current;

    public async ValueTask<TClient> GetAsync(CancellationToken cancellationToken)
    {
        var credentials = await scope.Credentials(cancellationToken);
        var immutable = credentials.GetCredentials();
        lock (_lock)
        {
            if (_current is { } current && current.AccessKey == immutable.AccessKey && current.Token == immutable.Token)
            {
                return current.Client;
            }

            var client = create(credentials);
            _current = (immutable.AccessKey, immutable.Token, client);
            return client;
        }
    }
}
