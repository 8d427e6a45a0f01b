using OpenKbs.Aws.Rds.Model;
using OpenKbs.Controllers.Shared;

namespace OpenKbs.Controllers.Projects.Components.Database;

/// <summary>
/// The project's cluster as RDS reports it (the manager's reads, nothing derived): the cluster (null when there is none) and,
/// once read, the cluster's instances (null until <see cref="DatabaseManager.ObserveMembersAsync"/> read them).
/// </summary>
internal sealed record DatabaseObservation(DBCluster? Cluster, IReadOnlyList<DBInstance>? Instances)
{
    /// <summary>No cluster.</summary>
    public static DatabaseObservation Missing { get; } = new(null, null);

    public IReadOnlyList<Tag> Tags => Cluster?.TagList ?? [];

    /// <summary>The owner named by a uid tag that is not <paramref name="uid"/> (its owner tag, else <c>uid …</c>), or null when the cluster is ours or untagged.</summary>
    public string? OwnerOtherThan(string? uid) =>
        OwnershipTags.ForeignOwner(Tags.Pairs(), uid);
}

/// <summary>What the cluster must be: rendered from <c>spec.database</c> by <see cref="DatabaseRendering.Desired"/>.</summary>
internal sealed record DatabaseDesired(
    string Cluster,
    string KeyArn,
    int BackupRetentionDays,
    bool DeletionProtection,
    double MinCapacity,
    double MaxCapacity,
    IReadOnlyDictionary<string, string> OwnerTags);
