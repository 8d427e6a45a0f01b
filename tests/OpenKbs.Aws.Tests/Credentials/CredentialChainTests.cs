using Amazon.Runtime;
using OpenKbs.Aws.Credentials;

namespace OpenKbs.Aws.Tests.Credentials;

public sealed class CredentialChainTests
{
    [Fact]
    public async Task The_default_chain_reads_environment_credentials()
    {
        string[] names = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_EC2_METADATA_DISABLED"];
        var saved = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIACHAINTEST0000001");
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "chain-secret");
            Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", "chain-token");
            Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
            using var chain = new DefaultChainManagementCredentials();
            var credentials = await chain.GetAsync(CancellationToken.None);
            ImmutableCredentials resolved = await credentials.GetCredentialsAsync();
            Assert.Equal("AKIACHAINTEST0000001", resolved.AccessKey);
            Assert.Equal("chain-token", resolved.Token);
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
