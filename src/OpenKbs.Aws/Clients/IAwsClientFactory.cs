using OpenKbs.Aws.Audit;

namespace OpenKbs.Aws.Clients;

/// <summary>
/// The one way to get AWS clients. Every client set is bound to an actor (recorded in the audit trail) and, for client accounts,
/// to a 900-second assumed-role session and one allowed EU region. Cheap: create one per reconcile.
/// </summary>
public interface IAwsClientFactory
{
    /// <summary>Clients of the management account (standard credential chain). Regional calls go to <paramref name="region"/> or the default region.</summary>
    /// <exception cref="Regions.RegionNotAllowedException">The region is outside the EU allowlist.</exception>
    IManagementClients ForManagement(AwsActor actor, string? region = null);

    /// <summary>
    /// Clients inside a client account, through <c>sts:AssumeRole</c> into <c>arn:aws:iam::{accountId}:role/{roleName}</c> (900 s sessions,
    /// cached per account and role). The session is assumed at the first call, not here.
    /// </summary>
    /// <exception cref="Regions.RegionNotAllowedException">The region is outside the EU allowlist (nothing is sent).</exception>
    /// <exception cref="ArgumentException">The account id or role name is malformed.</exception>
    IMemberAccountClients ForAccount(string accountId, string roleName, string region, AwsActor actor);
}
