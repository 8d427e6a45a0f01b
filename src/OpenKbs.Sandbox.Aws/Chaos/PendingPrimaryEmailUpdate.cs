namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>A StartPrimaryEmailUpdate waiting for its AcceptPrimaryEmailUpdate: the one-time password a real mailbox would receive.</summary>
/// <param name="AccountId">The account whose primary email changes.</param>
/// <param name="PrimaryEmail">The new address.</param>
/// <param name="Otp">The one-time password to pass to AcceptPrimaryEmailUpdate.</param>
/// <param name="ExpiresAt">After this instant (engine clock) the password is refused as expired; null never expires.</param>
public sealed record PendingPrimaryEmailUpdate(string AccountId, string PrimaryEmail, string Otp, DateTimeOffset? ExpiresAt = null);
