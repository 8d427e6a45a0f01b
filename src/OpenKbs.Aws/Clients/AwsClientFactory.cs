using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Credentials;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Aws.Regions;

namespace OpenKbs.Aws.Clients;

internal sealed class AwsClientFactory(
    AwsRequestPipeline pipeline,
    AwsRegionGuard guard,
    IManagementCredentials managementCredentials,
    AssumeRoleSessions sessions,
    AwsSdkClientConfig sdkConfig) : IAwsClientFactory
{
    public IManagementClients ForManagement(AwsActor actor, string? region = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var pinned = region ?? guard.DefaultRegion;
        guard.EnsureAllowed(pinned);
        return new ManagementClients(
            pipeline,
            new AwsCallScope { AccountId = null, Region = pinned, Actor = actor, Credentials = managementCredentials.GetAsync },
            sdkConfig);
    }

    public IMemberAccountClients ForAccount(string accountId, string roleName, string region, AwsActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        guard.EnsureAllowed(region);
        _ = AssumeRoleSessions.RoleArn(accountId, roleName);
        var scope = new AwsCallScope
        {
            AccountId = accountId,
            Region = region,
            Actor = actor,
            Credentials = async token => (await sessions.GetAsync(accountId, roleName, actor, token)).ToAwsCredentials(),
        };
        return new MemberAccountClients(pipeline, scope, sdkConfig);
    }

    public async Task<string> ProbeAssumeRoleAsync(string accountId, string roleName, AwsActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return (await sessions.ProbeAsync(accountId, roleName, actor, cancellationToken)).RoleArn;
    }
}
