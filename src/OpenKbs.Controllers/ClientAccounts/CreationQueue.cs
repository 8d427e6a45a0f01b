using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Resilience;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// The organization's account-creation slots (AWS allows 5 CreateAccount requests in progress per organization) and
/// the first-come-first-served queue of ClientAccounts waiting for one. Process-wide (a singleton):
/// <list type="bullet">
/// <item>slots are an <see cref="InFlightLimiter"/> seeded once from the request ids persisted in status (after a
/// restart) and then kept by the passes: taken just before CreateAccount, freed when AWS reports SUCCEEDED or FAILED;</item>
/// <item>one lock (<see cref="LockAsync"/>) spans decide + create + persist, so two passes never take the same slot;</item>
/// <item>AWS frees a slot the moment it finishes a request, before the request's owner polls: the head of the queue
/// asks AWS (<see cref="ReconcileWithAws"/>) and takes the slot at once;</item>
/// <item>whenever slots change, <see cref="WakeKeys"/> (wired through <c>ControllerBuilder.Watches</c> on
/// ClientAccount itself) wakes the waiters that can take a free slot, the next in line and the owners of finished
/// requests, so slots never idle while anything waits; the rest refresh their position at WaitWhileQueued.</item>
/// </list>
/// </summary>
internal sealed class CreationQueue : IDisposable
{
    /// <summary>The limiter key: one organization per operator.</summary>
    public const string OrganizationKey = "organization";

    /// <summary>A slot whose holder vanished from the cache is reclaimed after this long (the cache may lag a fresh object).</summary>
    internal static readonly TimeSpan ReclaimAfter = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly InFlightLimiter _limiter;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, Holder> _holders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ObjectKey> _queued = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ObjectKey> _finished = new();
    private int _wakeAll;
    private int _restored;
    private DateTimeOffset? _awsListedAt;
    private int _outsideInFlight;

    public CreationQueue(IOptions<ClientAccountOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _limiter = new InFlightLimiter(Math.Max(1, options.Value.MaxCreationsInFlight));
        _clock = clock;
    }

    public int Capacity => _limiter.Capacity;

    /// <summary>Creations this process counts in flight.</summary>
    public int InFlight => _limiter.InFlight(OrganizationKey);

    /// <summary>ClientAccounts known to wait for a slot.</summary>
    public int QueuedCount => _queued.Count;

    /// <summary>
    /// How long AWS's IN_PROGRESS listing stands in for a new one when this process's own count shows a free slot: the
    /// listing only adds creations started outside the operator (rare; AWS refuses a sixth with
    /// ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED, which queues the object at the head). When several slots free at once, the
    /// head's listing serves the next in line too instead of one Organizations call each.
    /// </summary>
    internal static readonly TimeSpan AwsCountFreshFor = TimeSpan.FromSeconds(2);

    /// <summary>Creations AWS listed IN_PROGRESS at the last listing that are not this process's.</summary>
    public int OutsideInFlight => Volatile.Read(ref _outsideInFlight);

    /// <summary>True when the last IN_PROGRESS listing is recent enough to stand in for a new one (call under <see cref="LockAsync"/>).</summary>
    public bool AwsCountIsFresh(DateTimeOffset now) => _awsListedAt is { } at && now - at <= AwsCountFreshFor && now >= at;

    /// <summary>
    /// True when this process has, or the cache shows, another ClientAccount with <paramref name="email"/> (case-insensitive)
    /// holding an account or a creation in flight: then the email must be looked up in AWS again before creating.
    /// </summary>
    public bool EmailClaimedByOther(string uid, string email, IEnumerable<ClientAccount> all)
    {
        ArgumentNullException.ThrowIfNull(all);
        return _holders.Any(h => h.Key != uid && string.Equals(h.Value.Email, email, StringComparison.OrdinalIgnoreCase))
            || all.Any(c => !string.Equals(c.Metadata.Uid, uid, StringComparison.Ordinal)
                && string.Equals(c.Spec.Email, email, StringComparison.OrdinalIgnoreCase)
                && OwnershipPolicy.HoldsEmail(c));
    }

    /// <summary>The process-wide lock around decide + create + persist.</summary>
    public async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        return new Releaser(_gate);
    }

    /// <summary>Seeds the slots once from persisted state: every object with a create request (or marker) and no account holds one.</summary>
    public void RestoreOnce(IEnumerable<ClientAccount> all)
    {
        ArgumentNullException.ThrowIfNull(all);
        if (Interlocked.Exchange(ref _restored, 1) == 1)
        {
            return;
        }

        foreach (var resource in all.Where(HoldsSlotInStatus))
        {
            Hold(resource, resource.Status!.CreateAccountRequestId);
        }
    }

    public bool Holds(string uid) => _holders.ContainsKey(uid);

    /// <summary>
    /// Records that <paramref name="resource"/> has a creation in flight (may exceed capacity: the request exists already),
    /// with its request id once known.
    /// </summary>
    public void Hold(ClientAccount resource, string? requestId = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var uid = resource.Metadata.Uid ?? string.Empty;
        _limiter.Restore(OrganizationKey, [uid]);
        var now = _clock.GetUtcNow();
        _holders.AddOrUpdate(
            uid,
            _ => new Holder(ObjectKey.From(resource), now, requestId, resource.Spec.Email),
            (_, existing) => requestId is null ? existing : existing with { RequestId = requestId });
        _queued.TryRemove(uid, out _);
    }

    /// <summary>
    /// Frees the slots of our requests that AWS no longer lists as IN_PROGRESS (they finished; their owners have not
    /// polled yet) and wakes those owners; remembers when AWS was asked and how many listed requests are not ours.
    /// Holders whose request id is unknown keep their slot. Call under <see cref="LockAsync"/>.
    /// </summary>
    public void ReconcileWithAws(IEnumerable<string> inProgressRequestIds, DateTimeOffset listedAt)
    {
        ArgumentNullException.ThrowIfNull(inProgressRequestIds);
        var inProgress = inProgressRequestIds.ToHashSet(StringComparer.Ordinal);
        foreach (var (uid, holder) in _holders)
        {
            if (holder.RequestId is { } id && !inProgress.Contains(id))
            {
                Release(uid);
                _finished.Enqueue(holder.Key);
            }
        }

        var ours = _holders.Values.Select(h => h.RequestId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        Volatile.Write(ref _outsideInFlight, inProgress.Count(id => !ours.Contains(id)));
        _awsListedAt = listedAt;
    }

    /// <summary>Registers <paramref name="resource"/> as waiting for a slot (when AWS, not the queue, is full).</summary>
    public void MarkWaiting(ClientAccount resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        _queued[resource.Metadata.Uid ?? string.Empty] = ObjectKey.From(resource);
    }

    /// <summary>Takes a free slot for <paramref name="resource"/> (call under <see cref="LockAsync"/> after deciding).</summary>
    public bool TryAcquire(ClientAccount resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var uid = resource.Metadata.Uid ?? string.Empty;
        if (!_limiter.TryAcquire(OrganizationKey, uid))
        {
            return false;
        }

        _holders.TryAdd(uid, new Holder(ObjectKey.From(resource), _clock.GetUtcNow(), null, resource.Spec.Email));
        _queued.TryRemove(uid, out _);
        Interlocked.Exchange(ref _wakeAll, 1);
        return true;
    }

    /// <summary>Frees the slot of <paramref name="uid"/> (no-op without one) and wakes the queue.</summary>
    public void Release(string uid)
    {
        if (_holders.TryRemove(uid, out _))
        {
            _limiter.Release(OrganizationKey, uid);
            Interlocked.Exchange(ref _wakeAll, 1);
        }
    }

    /// <summary>The object no longer waits (it got an account another way, became terminal, or is being deleted).</summary>
    public void Forget(string uid)
    {
        if (_queued.TryRemove(uid, out _))
        {
            Interlocked.Exchange(ref _wakeAll, 1);
        }
    }

    /// <summary>
    /// Reclaims slots whose holder is no longer in the cache (deleted without its deletion pass, e.g. finalizer removed
    /// by hand), and forgets waiters that are gone.
    /// </summary>
    public void Reclaim(IResourceCache<ClientAccount> cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var now = _clock.GetUtcNow();
        foreach (var (uid, holder) in _holders)
        {
            var current = cache.Get(holder.Key);
            if ((current is null || !string.Equals(current.Metadata.Uid, uid, StringComparison.Ordinal)) && now - holder.Since > ReclaimAfter)
            {
                Release(uid);
            }
        }

        foreach (var (uid, key) in _queued)
        {
            if (cache.Get(key) is not { } current || !string.Equals(current.Metadata.Uid, uid, StringComparison.Ordinal))
            {
                _queued.TryRemove(uid, out _);
            }
        }
    }

    /// <summary>Where <paramref name="me"/> stands; registers it as waiting when it may not create yet. Call under <see cref="LockAsync"/>.</summary>
    public QueueDecision Decide(ClientAccount me, IEnumerable<ClientAccount> all)
    {
        // The cache may not show yet the marker of a creation this process just started: its holder no longer waits.
        var decision = Decide(me, all.Where(c => !_holders.ContainsKey(c.Metadata.Uid ?? string.Empty)), Capacity, InFlight);
        if (!decision.MayCreate)
        {
            _queued[me.Metadata.Uid ?? string.Empty] = ObjectKey.From(me);
        }

        return decision;
    }

    /// <summary>The pure decision: position of <paramref name="me"/> among the waiting objects (first come, first served) against the free slots.</summary>
    internal static QueueDecision Decide(ClientAccount me, IEnumerable<ClientAccount> all, int capacity, int inFlight)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(all);
        var waiting = all
            .Where(c => !string.Equals(c.Metadata.Uid, me.Metadata.Uid, StringComparison.Ordinal) && NeedsSlot(c))
            .Append(me)
            .Order(ArrivalOrder.Instance)
            .ToList();
        var position = waiting.FindIndex(c => ReferenceEquals(c, me)) + 1;
        return new QueueDecision(position, capacity - inFlight, waiting.Count);
    }

    /// <summary>
    /// The Watches mapping, called for every ClientAccount change: the owners of requests AWS finished (so they record
    /// their account now); while slots are free, the waiters that can take them (arrival order); after slots changed,
    /// also the next in line, which then watches AWS's count.
    /// </summary>
    public IEnumerable<ObjectKey> WakeKeys(ClientAccount changed, IResourceCache<ClientAccount> cache)
    {
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(cache);
        var keys = new List<ObjectKey>();
        while (_finished.TryDequeue(out var finished))
        {
            keys.Add(finished);
        }

        var wakeAll = Interlocked.Exchange(ref _wakeAll, 0) == 1;
        if (_queued.IsEmpty)
        {
            return keys;
        }

        var free = Capacity - InFlight;
        if (!wakeAll && free <= 0)
        {
            return keys;
        }

        var waiting = _queued
            .Select(q => cache.Get(q.Value))
            .OfType<ClientAccount>()
            .Where(c => _queued.ContainsKey(c.Metadata.Uid ?? string.Empty))
            .Order(ArrivalOrder.Instance)
            .Select(ObjectKey.From);
        // Those that can take a free slot now, and after a change of slots also the next in line (it watches AWS's
        // count at WaitAtQueueHead). Waking every waiter on each change buried the head's pass under a storm of passes
        // (measured: median hand-over 4 s under load); the others refresh their queuePosition at WaitWhileQueued.
        keys.AddRange(waiting.Take(Math.Max(0, free) + (wakeAll ? 1 : 0)));
        return keys;
    }

    /// <summary>
    /// The work queue's urgency predicate: true for keys that wait for a creation slot, so their passes (the slot
    /// hand-over) get a worker before passes of created accounts. Not the holders: a holder's pass goes on to place,
    /// guard and tag its new account, seconds of normal-priority Organizations calls that held both reserved workers
    /// while a freed slot idled (measured: 7 s at the end of a 25-account run); its slot is freed by the head's listing,
    /// not by its own pass. Thread-safe and lock-free (it runs under the work queue's lock); linear in the waiters.
    /// </summary>
    public bool IsUrgent(ObjectKey key) => _queued.Values.Contains(key);

    /// <summary>True when the object waits for a creation slot according to its (cached) state.</summary>
    internal static bool NeedsSlot(ClientAccount resource)
    {
        var status = resource.Status;
        return resource.Metadata.DeletionTimestamp is null
            && !IsPaused(resource)
            && resource.Spec.AdoptAccountId is null
            && status?.AccountId is null
            && status?.CreateAccountRequestId is null
            && status?.CreateAccountStartedAt is null
            && status?.State is null or AccountState.Pending or AccountState.Queued
            && !ConditionReasons.IsTerminal(Conditions.Find(status?.Conditions, ConditionTypes.Ready)?.Reason);
    }

    /// <summary>True when status shows a creation in flight (request id, or the marker of a request whose outcome is unknown).</summary>
    internal static bool HoldsSlotInStatus(ClientAccount resource) =>
        resource.Status is { AccountId: null } status && (status.CreateAccountRequestId is not null || status.CreateAccountStartedAt is not null);

    private static bool IsPaused(ClientAccount resource) =>
        resource.Metadata.Annotations is { } annotations
        && annotations.TryGetValue(Annotations.Paused, out var paused)
        && string.Equals(paused, "true", StringComparison.OrdinalIgnoreCase);

    private sealed record Holder(ObjectKey Key, DateTimeOffset Since, string? RequestId, string? Email);

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    public void Dispose() => _gate.Dispose();
}
