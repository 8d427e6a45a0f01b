using OpenKbs.Aws.Resilience;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>Settings of the ClientAccount controller (configuration section <c>ClientAccount</c>, e.g. <c>OPENKBS_ClientAccount__WaitWhileAccountCreating=00:00:02</c>).</summary>
public sealed class ClientAccountOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "ClientAccount";

    /// <inheritdoc cref="ClientAccountWaits.WaitWhileAccountCreating"/>
    public TimeSpan WaitWhileAccountCreating { get; set; } = ClientAccountWaits.WaitWhileAccountCreating;

    /// <inheritdoc cref="ClientAccountWaits.WaitAtQueueHead"/>
    public TimeSpan WaitAtQueueHead { get; set; } = ClientAccountWaits.WaitAtQueueHead;

    /// <inheritdoc cref="ClientAccountWaits.WaitWhileQueued"/>
    public TimeSpan WaitWhileQueued { get; set; } = ClientAccountWaits.WaitWhileQueued;

    /// <inheritdoc cref="ClientAccountWaits.WaitWhileClosing"/>
    public TimeSpan WaitWhileClosing { get; set; } = ClientAccountWaits.WaitWhileClosing;

    /// <inheritdoc cref="ClientAccountWaits.WaitForAccessFirst"/>
    public TimeSpan WaitForAccessFirst { get; set; } = ClientAccountWaits.WaitForAccessFirst;

    /// <inheritdoc cref="ClientAccountWaits.WaitForAccessMax"/>
    public TimeSpan WaitForAccessMax { get; set; } = ClientAccountWaits.WaitForAccessMax;

    /// <inheritdoc cref="ClientAccountWaits.WaitBeforeCreateRetry"/>
    public TimeSpan WaitBeforeCreateRetry { get; set; } = ClientAccountWaits.WaitBeforeCreateRetry;

    /// <inheritdoc cref="ClientAccountWaits.RequestTimestampTolerance"/>
    public TimeSpan RequestTimestampTolerance { get; set; } = ClientAccountWaits.RequestTimestampTolerance;

    /// <summary>Account creations in flight across all ClientAccounts (AWS Organizations allows 5 per organization).</summary>
    public int MaxCreationsInFlight { get; set; } = InFlightLimiter.CreateAccountCapacity;

    /// <summary>Drift check of a Ready account (jittered ±10 %); null uses the runtime's resync interval (default 10 minutes).</summary>
    public TimeSpan? DriftCheckInterval { get; set; }

    /// <summary>Workers of this controller; null uses the runtime's value.</summary>
    public int? MaxConcurrentReconciles { get; set; }
}
