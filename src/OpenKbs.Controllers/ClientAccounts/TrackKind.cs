namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>What following a ClientAccount's CreateAccount request found.</summary>
internal enum TrackKind
{
    /// <summary>No request is in flight (none was sent, or AWS knows none of ours): creating one is safe.</summary>
    None,

    /// <summary>AWS is still creating the account.</summary>
    InProgress,

    /// <summary>The account exists and is recorded in status.</summary>
    Succeeded,

    /// <summary>AWS failed the request; see <see cref="TrackResult.FailureReason"/>.</summary>
    Failed,
}
