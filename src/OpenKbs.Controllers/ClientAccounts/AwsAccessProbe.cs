using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.Iam.Model;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// AssumeRole into <c>arn:aws:iam::{account}:role/{accessRoleName}</c> through the AWS layer's cached 900-second sessions,
/// then one read with that session (GetRole of the access role itself) to show the session really acts in the account.
/// </summary>
internal sealed class AwsAccessProbe(IAwsClientFactory clients) : IAccessProbe
{
    public async Task<string> VerifyAsync(string accountId, string roleName, string region, AwsActor actor, CancellationToken cancellationToken)
    {
        var member = clients.ForAccount(accountId, roleName, region, actor);
        var role = (await member.Iam.GetRoleAsync(new GetRoleRequest { RoleName = roleName }, cancellationToken)).Role;
        return role?.Arn ?? $"arn:aws:iam::{accountId}:role/{roleName}";
    }
}
