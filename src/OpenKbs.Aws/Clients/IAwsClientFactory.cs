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

    /// <summary>
    /// One fresh <c>sts:AssumeRole</c> (900 s) into <c>arn:aws:iam::{accountId}:role/{roleName}</c>, never taken from the cache and
    /// never cached: proves whether the role can be assumed right now (e.g. that a client has deleted it). The cached session of
    /// (account, role) is dropped first, so no other caller keeps using a session into a role that may be gone. Returns the role
    /// ARN; throws <see cref="Core.AwsServiceException"/> (<c>AccessDenied</c>) when STS refuses.
    /// </summary>
    /// <exception cref="ArgumentException">The account id or role name is malformed.</exception>
    Task<string> ProbeAssumeRoleAsync(string accountId, string roleName, AwsActor actor, CancellationToken cancellationToken = default);
}
