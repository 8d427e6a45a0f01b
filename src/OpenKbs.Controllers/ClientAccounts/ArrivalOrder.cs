using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>First come, first served: by metadata.creationTimestamp, then by uid (a stable tie-breaker).</summary>
internal sealed class ArrivalOrder : IComparer<ClientAccount>
{
    public static ArrivalOrder Instance { get; } = new();

    public int Compare(ClientAccount? x, ClientAccount? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var byTime = Nullable.Compare(x.Metadata.CreationTimestamp, y.Metadata.CreationTimestamp);
        return byTime != 0 ? byTime : string.CompareOrdinal(x.Metadata.Uid, y.Metadata.Uid);
    }
}
