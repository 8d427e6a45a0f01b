using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>AWS's account State (or the older Status) as the ClientAccount's state.</summary>
internal static class AccountStates
{
    public static AccountState FromAws(string? state, string? status) => (state ?? status) switch
    {
        "ACTIVE" => AccountState.Active,
        "SUSPENDED" => AccountState.Suspended,
        "PENDING_CLOSURE" => AccountState.Closing,
        "CLOSED" => AccountState.Closed,
        "PENDING_ACTIVATION" => AccountState.Creating,
        _ => AccountState.Active,
    };

    /// <summary>True once AWS has closed the account (what a Close deletion waits for).</summary>
    public static bool IsClosed(string? state, string? status) => (state ?? status) is "SUSPENDED" or "CLOSED";
}
