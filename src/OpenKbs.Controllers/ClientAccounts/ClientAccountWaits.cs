namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// Every timing of the ClientAccount controller in one place (named waits). <see cref="ClientAccountOptions"/> starts
/// from these values; tests and emulators shorten them through configuration section <c>ClientAccount</c>.
/// </summary>
public static class ClientAccountWaits
{
    /// <summary>Between DescribeCreateAccountStatus polls while AWS creates the account (ACK uses the same 30 s).</summary>
    public static readonly TimeSpan WaitWhileAccountCreating = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the ClientAccount next in line (queuePosition 1) asks AWS whether a creation slot is free. AWS frees a
    /// slot the moment it finishes a request, long before the request's owner polls again, so the head of the queue
    /// watches AWS's own count and takes the slot at once.
    /// </summary>
    public static readonly TimeSpan WaitAtQueueHead = TimeSpan.FromSeconds(5);

    /// <summary>Fallback re-check of a queued ClientAccount; a freed slot wakes the queue at once, this only repairs a missed wake-up.</summary>
    public static readonly TimeSpan WaitWhileQueued = TimeSpan.FromSeconds(60);

    /// <summary>Between DescribeAccount polls while AWS closes the account (PENDING_CLOSURE can last well over 10 minutes).</summary>
    public static readonly TimeSpan WaitWhileClosing = TimeSpan.FromSeconds(60);

    /// <summary>First re-try of a failed AssumeRole into a new account (IAM needs a few minutes after creation).</summary>
    public static readonly TimeSpan WaitForAccessFirst = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait between AssumeRole re-tries; the wait doubles from <see cref="WaitForAccessFirst"/> up to this.</summary>
    public static readonly TimeSpan WaitForAccessMax = TimeSpan.FromMinutes(5);

    /// <summary>After a create request AWS failed with a reason that clears by itself (CONCURRENT_ACCOUNT_MODIFICATION, INTERNAL_FAILURE).</summary>
    public static readonly TimeSpan WaitBeforeCreateRetry = TimeSpan.FromSeconds(30);

    /// <summary>How far before our marker an AWS RequestedTimestamp may lie and still be our request (clock skew allowance).</summary>
    public static readonly TimeSpan RequestTimestampTolerance = TimeSpan.FromMinutes(5);
}
