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

    /// <summary>
    /// Workers reserved for the creation queue (default 2), on top of <see cref="MaxConcurrentReconciles"/>: they take
    /// only passes of ClientAccounts that wait for a creation slot (<c>CreationQueue.IsUrgent</c>), and every
    /// worker serves those before other passes. Measured (SlotUtilisationTests, 25 accounts): with all 16 workers busy
    /// placing and tagging created accounts (each waiting seconds for the shared Organizations rate budget), the queue
    /// head's pass waited 3-10 s for a worker while a freed slot idled. Two, so the head and the next in line (several slots
    /// free at once) never queue behind each other. 0 disables the reservation (urgent passes still go first).
    /// </summary>
    public int UrgentWorkers { get; set; } = DefaultUrgentWorkers;

    /// <summary>The default of <see cref="UrgentWorkers"/>.</summary>
    public const int DefaultUrgentWorkers = 2;

    /// <summary>What is wrong with these settings (empty when nothing is).</summary>
    public IEnumerable<string> Failures() => Shared.OptionsRules.Check(
        SectionName,
        [(nameof(WaitWhileAccountCreating), WaitWhileAccountCreating), (nameof(WaitAtQueueHead), WaitAtQueueHead), (nameof(WaitWhileQueued), WaitWhileQueued),
         (nameof(WaitWhileClosing), WaitWhileClosing), (nameof(WaitForAccessFirst), WaitForAccessFirst), (nameof(WaitForAccessMax), WaitForAccessMax),
         (nameof(WaitBeforeCreateRetry), WaitBeforeCreateRetry), (nameof(RequestTimestampTolerance), RequestTimestampTolerance), (nameof(DriftCheckInterval), DriftCheckInterval)],
        [(nameof(MaxCreationsInFlight), MaxCreationsInFlight), (nameof(MaxConcurrentReconciles), MaxConcurrentReconciles), (nameof(UrgentWorkers), UrgentWorkers)]);
}
