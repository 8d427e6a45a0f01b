using Microsoft.Extensions.Logging;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Rds.Model;
using OpenKbs.Controllers.Projects.Components.Storage;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects.Components.Database;

/// <summary>
/// DatabaseReady: the Aurora PostgreSQL Serverless v2 cluster <see cref="ProjectNames.DatabaseCluster"/> and its
/// db.serverless writer <see cref="ProjectNames.DatabaseInstance"/> (<see cref="DatabaseRendering"/>): storage encrypted with the
/// project key, backup retention <c>spec.database.backupRetentionDays</c>, deletion protection per spec (true by default), master
/// password managed by AWS (never seen by the operator; its secret is encrypted with the project key). Always describe first (moto
/// overwrites a cluster on a duplicate create; AWS refuses it). While the cluster or instance is creating or modifying the step is
/// Progressing (<see cref="ProjectWaits.WaitForDatabase"/>); an available cluster that differs gets one ModifyDBCluster with the
/// differing fields. Leaves the connection details (no password) in
/// <see cref="DatabaseFacts"/> for later steps: a sealed function setting (<c>OPENKBS_DATABASE</c>) and the secret/Data API
/// statements of the execution role. With <c>spec.database.standbyReplica</c> a second db.serverless instance, a reader in another
/// Availability Zone (promotion tier 0), is the failover target (<see cref="DatabaseMembers"/>); turning it off removes that reader
/// (a reader holds no data: the cluster volume does). One DescribeDBInstances (filter db-cluster-id) reads both instances, so an
/// unchanged cluster still costs two reads. status.database carries the PITR window (retention days, earliest and latest restorable
/// time), the writer and the standby (instance, zone, status). Finalize: Retain tags the cluster released; Delete turns deletion
/// protection off, deletes the writer, then deletes the cluster with a final snapshot (never <c>SkipFinalSnapshot</c>).
/// The step decides; <see cref="DatabaseManager"/> observes and applies; <see cref="DatabaseDelta.Between"/> names the paths that differ.
/// </summary>
internal sealed partial class DatabaseStep(ILogger<DatabaseStep> logger) : IProjectStep
{
    public string Name => "database";

    public string? ConditionType => ConditionTypes.DatabaseReady;

    public async Task<StepOutcome> RunAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var spec = context.Spec.Database;
        if (spec is not { Enabled: true })
        {
            return StepOutcome.Disabled(context.Status.Database?.ClusterIdentifier is { } kept
                ? $"spec.database.enabled is not true; cluster {kept} is kept (turning the database off never deletes it)"
                : "no database: spec.database.enabled is not true");
        }

        if (context.Facts.Find<StorageFacts>() is not { } key)
        {
            return StepOutcome.Progressing(ProjectReasons.WaitingForDependency, "waiting for the project key", TimeSpan.Zero, nameof(ProjectWaits.WaitForNextPhase));
        }

        var manager = new DatabaseManager(context.Aws.Rds);
        var names = context.Names;
        var observed = await manager.ObserveAsync(names.DatabaseCluster, cancellationToken);
        if (observed.Cluster is not { } cluster)
        {
            var created = await manager.CreateClusterAsync(DatabaseRendering.CreateCluster(names, spec, key.KeyArn, context.Tags), cancellationToken);
            if (created is not null)
            {
                context.Event(EventType.Normal, ConditionReasons.Creating, $"Aurora PostgreSQL Serverless v2 cluster {names.DatabaseCluster} created in {context.Region}");
            }

            // null when an earlier pass created it and lost the answer: described next pass.
            Record(context, created?.DBCluster);
            return Wait(context, ConditionReasons.Creating, $"cluster {names.DatabaseCluster} is creating");
        }

        if (observed.OwnerOtherThan(context.Project.Metadata.Uid) is { } owner)
        {
            return StepOutcome.Terminal(ConditionReasons.TerminalOwnershipConflict,
                $"cluster {names.DatabaseCluster} belongs to {owner}, not to this Project; nothing was changed");
        }

        if (cluster.StorageEncrypted != true)
        {
            return StepOutcome.Terminal(TerminalDatabaseNotEncrypted,
                $"cluster {names.DatabaseCluster} is not storage-encrypted and encryption cannot be turned on in place; restore a snapshot into an encrypted cluster or delete it deliberately");
        }

        Record(context, cluster);
        var facts = Contribution(cluster);
        var desired = DatabaseRendering.Desired(names, spec, key.KeyArn, context.Tags);
        var delta = DatabaseDelta.Between(desired, observed);
        if (delta.TagsDiffer && cluster.DBClusterArn is { } arn)
        {
            await manager.ApplyTagsAsync(arn, delta, cancellationToken);
        }

        if (cluster.Status != "available")
        {
            return Wait(context, cluster.Status == "creating" ? ConditionReasons.Creating : ConditionReasons.Updating, $"cluster {names.DatabaseCluster} is {cluster.Status}").With(facts);
        }

        if (delta.Paths.Count > 0)
        {
            LogDelta(logger, context.Key.ToString(), names.DatabaseCluster, delta.ToString());
            await manager.ModifyAsync(desired, delta, cancellationToken);
            context.Event(EventType.Normal, ProjectReasons.DriftCorrected, $"cluster {names.DatabaseCluster}: put back {delta}");
            return Wait(context, ConditionReasons.Updating, $"cluster {names.DatabaseCluster} is modifying ({delta})").With(facts);
        }

        // One read for every instance of the cluster: the writer and the standby (roles from the cluster's members).
        var instances = (await manager.ObserveMembersAsync(observed, cancellationToken)).Instances!;
        if (DatabaseMembers.Own(names, instances).Count == 0)
        {
            if (await manager.CreateInstanceAsync(DatabaseRendering.CreateWriter(names, context.Tags), cancellationToken))
            {
                context.Event(EventType.Normal, ConditionReasons.Creating, $"serverless writer {names.DatabaseInstance} created in cluster {names.DatabaseCluster}");
            }

            return Wait(context, ConditionReasons.Creating, $"writer {names.DatabaseInstance} is creating").With(facts);
        }

        var writer = DatabaseMembers.Writer(names, cluster, instances);
        RecordMembers(context, cluster, instances, writer);
        if (writer is null || writer.DBInstanceStatus != "available")
        {
            return Wait(context, ConditionReasons.Creating, $"writer {writer?.DBInstanceIdentifier ?? names.DatabaseInstance} is {writer?.DBInstanceStatus ?? "not reported yet"}").With(facts);
        }

        var standby = DatabaseMembers.Standby(names, cluster, instances, spec.StandbyReplica, context.Region);
        switch (standby.Action)
        {
            case StandbyAction.Create:
                if (await manager.CreateInstanceAsync(DatabaseMembers.CreateStandby(names, standby.Instance!, standby.AvailabilityZone!, context.Tags), cancellationToken))
                {
                    context.Event(EventType.Normal, ConditionReasons.Creating, standby.Message);
                }

                return Wait(context, ConditionReasons.Creating, standby.Message).With(facts);
            case StandbyAction.Remove:
                await manager.DeleteInstanceAsync(standby.Instance!, cancellationToken);
                context.Event(EventType.Normal, ProjectReasons.DriftCorrected, standby.Message);
                return Wait(context, ConditionReasons.Updating, standby.Message).With(facts);
            case StandbyAction.Wait:
                return Wait(context, ConditionReasons.Updating, standby.Message).With(facts);
            default:
                break;
        }

        return StepOutcome.Ready(
            $"cluster {names.DatabaseCluster} available at {cluster.Endpoint}: encrypted with the project key, backups kept {cluster.BackupRetentionPeriod} days, "
            + $"deletion protection {(cluster.DeletionProtection == true ? "on" : "off")}, password managed by AWS; {standby.Message}").With(facts);
    }

    public async Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var manager = new DatabaseManager(context.Aws.Rds);
        var names = context.Names;
        var observed = await manager.ObserveAsync(names.DatabaseCluster, cancellationToken);
        if (observed.Cluster is not { } cluster)
        {
            return StepOutcome.Ready("no database cluster");
        }

        if (observed.OwnerOtherThan(context.Project.Metadata.Uid) is not null)
        {
            return StepOutcome.Ready($"cluster {names.DatabaseCluster} belongs to another owner and was left alone");
        }

        if (policy == ProjectDeletionPolicy.Retain)
        {
            if (!OwnershipTags.IsReleased(observed.Tags.Pairs()))
            {
                await manager.TagAsync(cluster.DBClusterArn!, Labels.Released, OwnershipTags.ReleasedValue(context.Now), cancellationToken);
            }

            return StepOutcome.Ready($"cluster {names.DatabaseCluster} kept (tagged {Labels.Released})");
        }

        if (cluster.Status == "deleting")
        {
            return Wait(context, ConditionReasons.Deleting, $"cluster {names.DatabaseCluster} is deleting (final snapshot first)");
        }

        if (cluster.Status != "available")
        {
            return Wait(context, ConditionReasons.Deleting, $"cluster {names.DatabaseCluster} is {cluster.Status}; deleting once it is available");
        }

        if (cluster.DeletionProtection == true)
        {
            await manager.TurnOffDeletionProtectionAsync(names.DatabaseCluster, cancellationToken);
            context.Event(EventType.Normal, ConditionReasons.Deleting, $"deletionPolicy Delete: deletion protection of cluster {names.DatabaseCluster} turned off");
            return Wait(context, ConditionReasons.Deleting, $"cluster {names.DatabaseCluster}: deletion protection turned off");
        }

        var members = (await manager.ObserveMembersAsync(observed, cancellationToken)).Instances!;
        if (members.Count > 0)
        {
            foreach (var instance in members.Where(i => i.DBInstanceStatus != "deleting"))
            {
                await manager.DeleteInstanceAsync(instance.DBInstanceIdentifier!, cancellationToken);
            }

            return Wait(context, ConditionReasons.Deleting, $"instances of cluster {names.DatabaseCluster} are deleting");
        }

        var snapshot = DatabaseRendering.FinalSnapshot(names, context.Now);
        await manager.DeleteClusterAsync(names.DatabaseCluster, snapshot, cancellationToken);
        context.Event(EventType.Normal, ConditionReasons.Deleting, $"cluster {names.DatabaseCluster} deleted after final snapshot {snapshot} (the snapshot is kept)");
        return Wait(context, ConditionReasons.Deleting, $"cluster {names.DatabaseCluster} is deleting; final snapshot {snapshot}");
    }

    private const string TerminalDatabaseNotEncrypted = "TerminalDatabaseNotEncrypted";

    private static StepOutcome Wait(ProjectContext context, string reason, string message) =>
        StepOutcome.Progressing(reason, message, context.Options.WaitForDatabase, nameof(ProjectWaits.WaitForDatabase));

    /// <summary>status.database: identity, endpoints, state and the settings that matter; never a secret.</summary>
    private static void Record(ProjectContext context, DBCluster? cluster)
    {
        var status = context.Status.Database ??= new DatabaseStatus();
        status.ClusterIdentifier = context.Names.DatabaseCluster;
        if (cluster is null)
        {
            status.Status ??= "creating";
            return;
        }

        status.Endpoint = cluster.Endpoint;
        status.ReaderEndpoint = cluster.ReaderEndpoint;
        status.Port = cluster.Port;
        status.Status = cluster.Status;
        status.EngineVersion = cluster.EngineVersion;
        status.BackupRetentionDays = cluster.BackupRetentionPeriod;
        status.DeletionProtection = cluster.DeletionProtection;
        status.EarliestRestorableTime = cluster.EarliestRestorableTime?.UtcDateTime;
        status.LatestRestorableTime = cluster.LatestRestorableTime?.UtcDateTime;
    }

    /// <summary>status.database's writer and standby, by role (after a failover the former standby is the writer).</summary>
    private static void RecordMembers(ProjectContext context, DBCluster cluster, IReadOnlyList<DBInstance> instances, DBInstance? writer)
    {
        var status = context.Status.Database ??= new DatabaseStatus();
        status.WriterInstance = writer?.DBInstanceIdentifier;
        status.WriterAvailabilityZone = writer?.AvailabilityZone;
        var reader = DatabaseMembers.Reader(context.Names, cluster, instances);
        status.Standby = reader is null
            ? null
            : new DatabaseStandbyStatus { InstanceIdentifier = reader.DBInstanceIdentifier, AvailabilityZone = reader.AvailabilityZone, Status = reader.DBInstanceStatus };
    }

    /// <summary>What the later steps need once the cluster has an endpoint: the sealed connection details and the execution role's statements.</summary>
    private static DatabaseFacts? Contribution(DBCluster cluster) =>
        string.IsNullOrEmpty(cluster.Endpoint)
            ? null
            : new DatabaseFacts(
                new SortedDictionary<string, byte[]>(StringComparer.Ordinal) { [DatabaseRendering.SettingName] = DatabaseRendering.Setting(cluster) },
                [.. DatabaseRendering.RoleStatements(cluster)]);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Key}: cluster {Cluster} differs in {Delta}; one ModifyDBCluster with those")]
    private static partial void LogDelta(ILogger logger, string key, string cluster, string delta);
}
