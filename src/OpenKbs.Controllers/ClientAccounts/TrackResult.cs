namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>The result of <see cref="CreateRequestTracker.TrackAsync"/>.</summary>
internal readonly record struct TrackResult(TrackKind Kind, string? RequestId = null, string? FailureReason = null);
