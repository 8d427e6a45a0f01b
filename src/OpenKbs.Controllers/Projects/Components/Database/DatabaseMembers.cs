using OpenKbs.Aws.Rds.Model;

namespace OpenKbs.Controllers.Projects.Components.Database;

/// <summary>What to do about the standby reader in this pass.</summary>
internal enum StandbyAction
{
    /// <summary>Nothing: the instances are as the spec wants them.</summary>
    None,

    /// <summary>An instance is creating, deleting or not yet placed: check again later.</summary>
    Wait,

    /// <summary>Create <see cref="StandbyDecision.Instance"/> in <see cref="StandbyDecision.AvailabilityZone"/>.</summary>
    Create,

    /// <summary>Delete the reader <see cref="StandbyDecision.Instance"/> (a reader holds no data of its own).</summary>
    Remove,
}

/// <summary>The decision of <see cref="DatabaseMembers.Standby"/>, with the sentence that explains it.</summary>
internal sealed record StandbyDecision(StandbyAction Action, string Message, string? Instance = null, string? AvailabilityZone = null);

/// <summary>
/// The cluster's instances by role, as pure functions (table-tested). Roles come from the cluster's <c>DBClusterMembers</c>
/// (<c>IsClusterWriter</c>), never from the names: after a failover the former standby (<c>-r1</c>) is the writer and the former
/// writer (<c>-w1</c>) is the reader, and both stay as they are. Only the operator's two instances are ever created or removed;
/// an instance someone else added to the cluster is left alone, and the operator never removes the last of its own.
/// </summary>
internal static class DatabaseMembers
{
    /// <summary>The standby's promotion tier: Aurora fails over to the lowest tier first, and Serverless v2 readers in tiers 0 and 1
    /// scale with the writer, so the standby can carry the load the moment it is promoted.</summary>
    public const int StandbyPromotionTier = 0;

    /// <summary>The identifier of the cluster's writer as the cluster reports it, or null while it has none.</summary>
    public static string? WriterId(DBCluster cluster) =>
        cluster.DBClusterMembers?.FirstOrDefault(m => m.IsClusterWriter == true)?.DBInstanceIdentifier;

    /// <summary>The operator's own instances of the cluster (the writer name and the standby name), whatever their roles now.</summary>
    public static IReadOnlyList<DBInstance> Own(ProjectNames names, IEnumerable<DBInstance> instances) =>
        [.. instances.Where(i => i.DBClusterIdentifier == names.DatabaseCluster
            && (i.DBInstanceIdentifier == names.DatabaseInstance || i.DBInstanceIdentifier == names.DatabaseStandbyInstance))];

    /// <summary>The writer instance: the one the cluster names, or (while the cluster names none yet) the operator's writer.</summary>
    public static DBInstance? Writer(ProjectNames names, DBCluster cluster, IReadOnlyList<DBInstance> instances)
    {
        var id = WriterId(cluster) ?? names.DatabaseInstance;
        return instances.FirstOrDefault(i => i.DBInstanceIdentifier == id);
    }

    /// <summary>The operator's reader (the standby, or after a failover the former writer), or null.</summary>
    public static DBInstance? Reader(ProjectNames names, DBCluster cluster, IReadOnlyList<DBInstance> instances)
    {
        var writer = WriterId(cluster);
        return writer is null ? null : Own(names, instances).FirstOrDefault(i => i.DBInstanceIdentifier != writer);
    }

    /// <summary>The zone for a standby: the first (in name order) of the cluster's Availability Zones in
    /// <paramref name="region"/> that is not the writer's; null when the cluster offers no second zone.</summary>
    public static string? StandbyZone(DBCluster cluster, string writerZone, string region) =>
        (cluster.AvailabilityZones ?? [])
            .Where(z => z != writerZone && z.StartsWith(region, StringComparison.Ordinal) && z.Length > region.Length)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>
    /// What the standby needs, given an available writer: with <paramref name="wanted"/> a reader of the operator's in a zone
    /// other than the writer's (created if missing; one in the writer's own zone is removed so the next pass creates it elsewhere);
    /// without, the operator's reader removed (never the writer, never the operator's last instance).
    /// </summary>
    public static StandbyDecision Standby(ProjectNames names, DBCluster cluster, IReadOnlyList<DBInstance> instances, bool wanted, string region)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(instances);
        var own = Own(names, instances);
        var writerId = WriterId(cluster);
        var writer = writerId is null ? null : instances.FirstOrDefault(i => i.DBInstanceIdentifier == writerId);
        var reader = Reader(names, cluster, instances);
        if (!wanted)
        {
            if (reader is null || own.Count < 2)
            {
                return new StandbyDecision(StandbyAction.None, "no standby wanted");
            }

            return reader.DBInstanceStatus == "deleting"
                ? new StandbyDecision(StandbyAction.Wait, $"reader {reader.DBInstanceIdentifier} is deleting (spec.database.standbyReplica is off)")
                : new StandbyDecision(StandbyAction.Remove, $"spec.database.standbyReplica is off: reader {reader.DBInstanceIdentifier} removed (the data stays in the cluster)", reader.DBInstanceIdentifier);
        }

        if (writer is null || string.IsNullOrEmpty(writer.AvailabilityZone))
        {
            return new StandbyDecision(StandbyAction.Wait, "waiting for the cluster to report its writer and the writer's Availability Zone");
        }

        if (reader is null)
        {
            var zone = StandbyZone(cluster, writer.AvailabilityZone, region);
            if (zone is null)
            {
                return new StandbyDecision(StandbyAction.None, $"no standby: the cluster offers no Availability Zone in {region} other than the writer's {writer.AvailabilityZone}");
            }

            var name = own.Any(i => i.DBInstanceIdentifier == names.DatabaseInstance) ? names.DatabaseStandbyInstance : names.DatabaseInstance;
            return new StandbyDecision(StandbyAction.Create, $"standby {name} created in {zone} (writer in {writer.AvailabilityZone})", name, zone);
        }

        if (reader.DBInstanceStatus != "available")
        {
            return new StandbyDecision(StandbyAction.Wait, $"standby {reader.DBInstanceIdentifier} is {reader.DBInstanceStatus}");
        }

        if (reader.AvailabilityZone == writer.AvailabilityZone && StandbyZone(cluster, writer.AvailabilityZone, region) is { } other)
        {
            return new StandbyDecision(StandbyAction.Remove,
                $"standby {reader.DBInstanceIdentifier} is in the writer's zone {writer.AvailabilityZone}: removed, to be created again in {other}", reader.DBInstanceIdentifier);
        }

        return new StandbyDecision(StandbyAction.None, $"standby {reader.DBInstanceIdentifier} available in {reader.AvailabilityZone} (writer in {writer.AvailabilityZone})");
    }

    /// <summary>The standby reader: db.serverless in the cluster, in <paramref name="availabilityZone"/>, promotion tier
    /// <see cref="StandbyPromotionTier"/>, never publicly accessible.</summary>
    public static CreateDBInstanceRequest CreateStandby(ProjectNames names, string identifier, string availabilityZone, IReadOnlyDictionary<string, string> tags) =>
        DatabaseRendering.CreateWriter(names, tags) with
        {
            DBInstanceIdentifier = identifier,
            AvailabilityZone = availabilityZone,
            PromotionTier = StandbyPromotionTier,
        };
}
