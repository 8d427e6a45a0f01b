using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// One email and one AWS account belong to exactly one ClientAccount across all namespaces, so one tenant never reaches
/// another's account. Between two claimants the owner is the one that holds it in status (an account id, or a creation
/// in flight for the email), else the older one (creationTimestamp, then uid). Pure.
/// </summary>
internal static class OwnershipPolicy
{
    /// <summary>The first claim of <paramref name="me"/> that another ClientAccount owns, or null.</summary>
    public static OwnershipConflict? FindConflict(ClientAccount me, IEnumerable<ClientAccount> all)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(all);
        var others = all.Where(o => !string.Equals(o.Metadata.Uid, me.Metadata.Uid, StringComparison.Ordinal)).ToList();

        var myAccount = ClaimedAccount(me);
        if (myAccount is not null)
        {
            foreach (var other in others.Where(o => string.Equals(ClaimedAccount(o), myAccount, StringComparison.Ordinal)).Order(ArrivalOrder.Instance))
            {
                if (!Wins(me, HoldsAccount(me, myAccount), other, HoldsAccount(other, myAccount)))
                {
                    return new OwnershipConflict("account", myAccount, other, Message(me, other, $"account {myAccount}"));
                }
            }
        }

        foreach (var other in others.Where(o => string.Equals(o.Spec.Email, me.Spec.Email, StringComparison.OrdinalIgnoreCase)).Order(ArrivalOrder.Instance))
        {
            if (!Wins(me, HoldsEmail(me), other, HoldsEmail(other)))
            {
                return new OwnershipConflict("email", me.Spec.Email, other, Message(me, other, $"email {me.Spec.Email}"));
            }
        }

        return null;
    }

    /// <summary>The account a ClientAccount manages or asks to adopt.</summary>
    internal static string? ClaimedAccount(ClientAccount resource) => resource.Status?.AccountId ?? resource.Spec.AdoptAccountId;

    private static bool HoldsAccount(ClientAccount resource, string accountId) =>
        string.Equals(resource.Status?.AccountId, accountId, StringComparison.Ordinal);

    /// <summary>Has an account (with this email) or a creation in flight.</summary>
    internal static bool HoldsEmail(ClientAccount resource) =>
        resource.Status is { } s && (s.AccountId is not null || s.CreateAccountRequestId is not null || s.CreateAccountStartedAt is not null);

    private static bool Wins(ClientAccount me, bool meHolds, ClientAccount other, bool otherHolds)
    {
        if (meHolds != otherHolds)
        {
            return meHolds;
        }

        return ArrivalOrder.Instance.Compare(me, other) < 0;
    }

    private static string Message(ClientAccount me, ClientAccount owner, string what) =>
        $"{what} already belongs to ClientAccount {owner.Metadata.NamespaceProperty}/{owner.Metadata.Name} "
        + $"(created {owner.Metadata.CreationTimestamp:yyyy-MM-ddTHH:mm:ssZ}); each email and AWS account belongs to exactly one ClientAccount across all namespaces, "
        + $"so {me.Metadata.NamespaceProperty}/{me.Metadata.Name} will not touch it. Use another email, or delete the other ClientAccount first; nothing was created";
}
