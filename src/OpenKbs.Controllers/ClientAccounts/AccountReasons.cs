namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>ClientAccount condition and event reasons beyond the shared ones in <see cref="Api.ConditionReasons"/>.</summary>
internal static class AccountReasons
{
    public const string AccountSuspended = "AccountSuspended";
    public const string AccountClosed = "AccountClosed";
    public const string AccessDenied = "AccessDenied";
    public const string AccessNotVerified = "AccessNotVerified";
    public const string CacheNotSynced = "CacheNotSynced";
    public const string SpecChanged = "SpecChanged";
    public const string StatusConflict = "StatusConflict";
}
