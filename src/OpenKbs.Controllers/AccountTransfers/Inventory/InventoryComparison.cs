namespace OpenKbs.Controllers.AccountTransfers.Inventory;

/// <summary>
/// Before against after: every function still runs the same code (same SHA-256), every bucket keeps at least its object
/// versions, every database cluster is still there, available and restorable at least as late, every distribution, schedule
/// and key is still there (keys not pending deletion). Additions are fine; anything lost or changed is listed.
/// </summary>
internal sealed record InventoryComparison(IReadOnlyList<string> Differences)
{
    /// <summary>True when nothing was lost or changed.</summary>
    public bool Matches => Differences.Count == 0;

    public static InventoryComparison Of(AccountInventory before, AccountInventory after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var differences = new List<string>();
        var functions = after.Functions.ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var function in before.Functions)
        {
            if (!functions.TryGetValue(function.Name, out var now))
            {
                differences.Add($"function {function.Name} is missing");
            }
            else if (!string.Equals(function.CodeSha256, now.CodeSha256, StringComparison.Ordinal))
            {
                differences.Add($"function {function.Name}: code SHA-256 {function.CodeSha256} became {now.CodeSha256}");
            }
        }

        var buckets = after.Buckets.ToDictionary(b => b.Name, StringComparer.Ordinal);
        foreach (var bucket in before.Buckets)
        {
            if (!buckets.TryGetValue(bucket.Name, out var now))
            {
                differences.Add($"bucket {bucket.Name} is missing");
            }
            else if (now.Versions < bucket.Versions)
            {
                differences.Add($"bucket {bucket.Name}: {bucket.Versions} object versions became {now.Versions}");
            }
        }

        var clusters = after.DatabaseClusters.ToDictionary(c => c.Identifier, StringComparer.Ordinal);
        foreach (var cluster in before.DatabaseClusters)
        {
            if (!clusters.TryGetValue(cluster.Identifier, out var now))
            {
                differences.Add($"database cluster {cluster.Identifier} is missing");
                continue;
            }

            if (!string.Equals(now.Status, "available", StringComparison.Ordinal))
            {
                differences.Add($"database cluster {cluster.Identifier} is {now.Status}, not available");
            }

            if (cluster.LatestRestorableTime is { } was && (now.LatestRestorableTime is not { } latest || latest < was))
            {
                differences.Add($"database cluster {cluster.Identifier}: latest restorable time went back from {was:O} to {now.LatestRestorableTime:O}");
            }
        }

        Missing(differences, "distribution", before.Distributions.Select(d => d.Id), after.Distributions.Select(d => d.Id));
        Missing(differences, "schedule", before.Schedules.Select(s => $"{s.Group}/{s.Name}"), after.Schedules.Select(s => $"{s.Group}/{s.Name}"));
        Missing(differences, "key", before.Keys.Select(k => k.Alias), after.Keys.Select(k => k.Alias));
        differences.AddRange(after.Keys
            .Where(k => k.State is "PendingDeletion" or "Disabled" && before.Keys.Any(b => b.Alias == k.Alias && b.State != k.State))
            .Select(k => $"key {k.Alias} is {k.State}"));
        return new InventoryComparison(differences);
    }

    private static void Missing(List<string> differences, string noun, IEnumerable<string> before, IEnumerable<string> after)
    {
        var present = after.ToHashSet(StringComparer.Ordinal);
        differences.AddRange(before.Where(id => !present.Contains(id)).Select(id => $"{noun} {id} is missing"));
    }
}
