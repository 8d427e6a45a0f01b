using OpenKbs.Aws.Audit;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>Proves the operator can act in a client account: a 900-second AssumeRole session into the access role, used once.</summary>
internal interface IAccessProbe
{
    /// <summary>Returns what was proven (e.g. the role ARN); throws when the session cannot be had or used.</summary>
    Task<string> VerifyAsync(string accountId, string roleName, string region, AwsActor actor, CancellationToken cancellationToken);
}
