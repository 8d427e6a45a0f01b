namespace OpenKbs.Controllers.AccountTransfers.Inventory;

/// <summary>
/// What is in the client's account at one instant, as the transfer's report lists it before and after the removal: the
/// functions with their code SHA-256, the project buckets with object and version counts, the database clusters with their
/// latest restorable time, the distributions, the schedules and the customer-managed keys (by alias). Read-only calls only.
/// </summary>
internal sealed record AccountInventory
{
    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public required DateTimeOffset TakenAt { get; init; }

    public IReadOnlyList<FunctionItem> Functions { get; init; } = [];

    public IReadOnlyList<BucketItem> Buckets { get; init; } = [];

    public IReadOnlyList<DatabaseClusterItem> DatabaseClusters { get; init; } = [];

    public IReadOnlyList<DistributionItem> Distributions { get; init; } = [];

    public IReadOnlyList<ScheduleItem> Schedules { get; init; } = [];

    public IReadOnlyList<KeyItem> Keys { get; init; } = [];

    /// <summary>One line for status messages, e.g. <c>2 functions, 1 bucket (3 objects, 5 versions), 1 database cluster, ...</c>.</summary>
    public string Summary() =>
        $"{Count(Functions.Count, "function")}, {Count(Buckets.Count, "bucket")} ({Count(Buckets.Sum(b => b.Objects), "object")}, "
        + $"{Count(Buckets.Sum(b => b.Versions), "version")}), {Count(DatabaseClusters.Count, "database cluster")}, "
        + $"{Count(Distributions.Count, "distribution")}, {Count(Schedules.Count, "schedule")}, {Count(Keys.Count, "key")}";

    private static string Count(long n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
