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

    /// <summary>
    /// Workers of this controller (default 16, the runtime's default is 4). A ClientAccount pass spends nearly all its time
    /// waiting for Organizations' shared 5 calls/s budget; with 4 workers the queue head's pass waited seconds for a
    /// worker behind passes placing finished accounts, and a freed creation slot idled meanwhile. Workers are async and
    /// cheap; the rate to AWS is set by the rate limiter, not by them. Crossplane providers run 10 per controller.
    /// </summary>
    public int? MaxConcurrentReconciles { get; set; } = DefaultWorkers;

    /// <summary>The default of <see cref="MaxConcurrentReconciles"/>.</summary>
    public const int DefaultWorkers = 16;
}
