using Amazon.Runtime;

namespace OpenKbs.Aws.Credentials;

/// <summary>
/// The operator's own (management-account) credentials. The default implementation walks the standard chain
/// (environment, shared profile, web identity for IRSA, container and instance metadata); replace it in DI only for tests.
/// </summary>
public interface IManagementCredentials
{
    ValueTask<AWSCredentials> GetAsync(CancellationToken cancellationToken);
}
