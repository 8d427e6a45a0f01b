using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Rds.Model;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.Database;
using OpenKbs.Controllers.Projects.Components.Storage;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>The database step against moto under the realism layer (clusters and instances creating, then available).</summary>
[Collection(MotoCollection.Name)]
public sealed class DatabaseStepTests(MotoServerFixture moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static Project Shop(DatabaseSpec database) => ProjectFixtures.Project("shop", s => s with { Database = database });

    [Fact]
    public async Task The_cluster_passes_through_creating_and_converges_encrypted_with_AWS_managed_password_then_costs_reads_only()
    {
        using var host = new ProjectStepHarness(moto, Shop(new DatabaseSpec { Enabled = true, BackupRetentionDays = 14 }));
        var key = await host.KeyAsync();
        var step = ProjectStepHarness.Step<DatabaseStep>(l => new DatabaseStep(l));

        var (outcome, passes) = await host.ConvergeAsync(step, c => c.Facts.Add(new StorageFacts(key)));

        Assert.True(outcome.IsReady, outcome.ToString());
        Assert.Equal(ConditionReasons.Creating, passes[0].Reason);
        Assert.Equal(nameof(ProjectWaits.WaitForDatabase), passes[0].WaitName);
        Assert.InRange(passes.Count, 3, 20);
        Assert.Equal(1, host.Log.Count("CreateDBCluster"));
        Assert.Equal(1, host.Log.Count("CreateDBInstance"));

        var names = ProjectNames.For("tenants", "shop", host.Project.Metadata.Uid!);
        var cluster = (await host.Member.Rds.DescribeDBClustersAsync(new DescribeDBClustersRequest { DBClusterIdentifier = names.DatabaseCluster })).DBClusters.Single();
        Assert.Equal((true, key, 14, true, "aurora-postgresql"), (cluster.StorageEncrypted, cluster.KmsKeyId, cluster.BackupRetentionPeriod, cluster.DeletionProtection, cluster.Engine));
        Assert.False(string.IsNullOrEmpty(cluster.MasterUserSecret?.SecretArn));
        var status = host.Project.Status!.Database!;
        Assert.Equal((names.DatabaseCluster, "available", cluster.Endpoint, 14, true), (status.ClusterIdentifier, status.Status, status.Endpoint, status.BackupRetentionDays, status.DeletionProtection));

        // The later steps get the connection details (sealed by the functions step) and the least-privilege statements.
        var ready = await step.RunAsync(host.Context(c => c.Facts.Add(new StorageFacts(key))), CancellationToken.None);
        Assert.True(ready.IsReady);
        var facts = Assert.IsType<DatabaseFacts>(Assert.Single(ready.Facts));
        Assert.Contains(cluster.Endpoint!, System.Text.Encoding.UTF8.GetString(facts.SealedSettings[DatabaseRendering.SettingName]), StringComparison.Ordinal);
        Assert.Equal(2, facts.RoleStatements.Count);

        // A drift check of an unchanged cluster: reads only.
        var audited = host.Audit.Records.Count;
        Assert.True((await step.RunAsync(host.Context(c => c.Facts.Add(new StorageFacts(key))), CancellationToken.None)).IsReady);
        Assert.Equal(audited, host.Audit.Records.Count);

        // Nothing anywhere carries a password.
        Assert.DoesNotContain("password", k8s.KubernetesJson.Serialize(host.Project.Status), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(host.Audit.Records.SelectMany(r => r.Details), d => d.Key.Contains("MasterUserPassword", StringComparison.Ordinal) && !d.Key.Contains("Manage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retention_and_protection_changed_behind_the_operators_back_are_put_back_with_one_modify()
    {
        using var host = new ProjectStepHarness(moto, Shop(new DatabaseSpec { Enabled = true }));
        var key = await host.KeyAsync();
        var step = ProjectStepHarness.Step<DatabaseStep>(l => new DatabaseStep(l));
        Assert.True((await host.ConvergeAsync(step, c => c.Facts.Add(new StorageFacts(key)))).Outcome.IsReady);
        var names = ProjectNames.For("tenants", "shop", host.Project.Metadata.Uid!);
        await host.Member.Rds.ModifyDBClusterAsync(new ModifyDBClusterRequest { DBClusterIdentifier = names.DatabaseCluster, BackupRetentionPeriod = 1, DeletionProtection = false, ApplyImmediately = true });
        var modifies = host.Log.Count("ModifyDBCluster");

        var (outcome, passes) = await host.ConvergeAsync(step, c => c.Facts.Add(new StorageFacts(key)));

        Assert.True(outcome.IsReady, outcome.ToString());
        Assert.Contains(passes, p => p.Reason == ConditionReasons.Updating);
        Assert.Equal(modifies + 1, host.Log.Count("ModifyDBCluster"));
        var cluster = (await host.Member.Rds.DescribeDBClustersAsync(new DescribeDBClustersRequest { DBClusterIdentifier = names.DatabaseCluster })).DBClusters.Single();
        Assert.Equal((7, true), (cluster.BackupRetentionPeriod, cluster.DeletionProtection));
        Assert.Contains(host.Events, e => e.Contains(DatabaseDelta.BackupRetentionDays, StringComparison.Ordinal) && e.Contains(DatabaseDelta.DeletionProtection, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_takes_a_final_snapshot_after_turning_protection_off_and_Retain_only_tags()
    {
        using var host = new ProjectStepHarness(moto, Shop(new DatabaseSpec { Enabled = true }));
        var key = await host.KeyAsync();
        var step = ProjectStepHarness.Step<DatabaseStep>(l => new DatabaseStep(l));
        Assert.True((await host.ConvergeAsync(step, c => c.Facts.Add(new StorageFacts(key)))).Outcome.IsReady);
        var names = ProjectNames.For("tenants", "shop", host.Project.Metadata.Uid!);

        Assert.True((await host.FinalizeAsync(step, ProjectDeletionPolicy.Retain)).Outcome.IsReady);
        var retained = (await host.Member.Rds.DescribeDBClustersAsync(new DescribeDBClustersRequest { DBClusterIdentifier = names.DatabaseCluster })).DBClusters.Single();
        Assert.Contains(retained.TagList!, t => t.Key == Labels.Released);
        Assert.Equal(0, host.Log.Count("DeleteDBCluster"));

        var (outcome, _) = await host.FinalizeAsync(step, ProjectDeletionPolicy.Delete, passes: 30);

        Assert.True(outcome.IsReady, outcome.ToString());
        Assert.Equal(1, host.Log.Count("DeleteDBCluster"));
        Assert.Equal(1, host.Log.Count("DeleteDBInstance"));
        var snapshots = (await host.Member.Rds.DescribeDBClusterSnapshotsAsync(new DescribeDBClusterSnapshotsRequest { DBClusterIdentifier = names.DatabaseCluster })).DBClusterSnapshots;
        Assert.Contains(snapshots, s => s.DBClusterSnapshotIdentifier!.StartsWith(names.DatabaseFinalSnapshotPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_standby_reader_is_created_in_another_zone_reported_with_the_PITR_window_then_costs_two_reads_and_is_removed_when_turned_off()
    {
        using var host = new ProjectStepHarness(moto, Shop(new DatabaseSpec { Enabled = true, StandbyReplica = true }));
        var key = await host.KeyAsync();
        var step = ProjectStepHarness.Step<DatabaseStep>(l => new DatabaseStep(l));

        var (outcome, passes) = await host.ConvergeAsync(step, c => c.Facts.Add(new StorageFacts(key)), passes: 30);

        Assert.True(outcome.IsReady, outcome.ToString());
        Assert.Equal(2, host.Log.Count("CreateDBInstance"));
        Assert.Contains(passes, p => p.Message.Contains("standby", StringComparison.Ordinal) && p.Reason == ConditionReasons.Creating);
        var names = host.Names;
        var instances = (await host.Member.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest())).DBInstances.ToDictionary(i => i.DBInstanceIdentifier!);
        var writer = instances[names.DatabaseInstance];
        var standby = instances[names.DatabaseStandbyInstance];
        Assert.Equal(("db.serverless", "aurora-postgresql", names.DatabaseCluster), (standby.DBInstanceClass, standby.Engine, standby.DBClusterIdentifier));
        Assert.NotEqual(writer.AvailabilityZone, standby.AvailabilityZone);
        Assert.Equal(0, standby.PromotionTier);
        Assert.StartsWith(ProjectStepHarness.Region, standby.AvailabilityZone, StringComparison.Ordinal);
        var cluster = (await host.Member.Rds.DescribeDBClustersAsync(new DescribeDBClustersRequest { DBClusterIdentifier = names.DatabaseCluster })).DBClusters.Single();
        Assert.Contains(cluster.DBClusterMembers!, m => m.DBInstanceIdentifier == names.DatabaseStandbyInstance && m.IsClusterWriter == false);
        var audit = host.Audit.Records.Last(r => r.Action == "rds:CreateDBInstance" && r.Resource?.EndsWith(":db:" + names.DatabaseStandbyInstance, StringComparison.Ordinal) == true);
        Assert.Equal(standby.AvailabilityZone, audit.Details["AvailabilityZone"]);

        var status = host.Project.Status!.Database!;
        Assert.Equal((7, names.DatabaseInstance, writer.AvailabilityZone), (status.BackupRetentionDays, status.WriterInstance, status.WriterAvailabilityZone));
        Assert.Equal((names.DatabaseStandbyInstance, standby.AvailabilityZone, "available"), (status.Standby?.InstanceIdentifier, status.Standby?.AvailabilityZone, status.Standby?.Status));
        Assert.NotNull(status.EarliestRestorableTime);
        Assert.NotNull(status.LatestRestorableTime);
        Assert.True(status.EarliestRestorableTime <= status.LatestRestorableTime);

        // The drift check of an unchanged cluster with its standby: two reads, no write.
        var before = host.Log.Operations.Count;
        var audited = host.Audit.Records.Count;
        Assert.True((await step.RunAsync(host.Context(c => c.Facts.Add(new StorageFacts(key))), CancellationToken.None)).IsReady);
        Assert.Equal(["DescribeDBClusters", "DescribeDBInstances"], host.Log.Operations.Skip(before));
        Assert.Equal(audited, host.Audit.Records.Count);

        // Off: the reader goes, the cluster and the writer stay.
        host.Project.Spec = host.Project.Spec with { Database = host.Project.Spec.Database! with { StandbyReplica = false } };
        (outcome, _) = await host.ConvergeAsync(step, c => c.Facts.Add(new StorageFacts(key)), passes: 30);

        Assert.True(outcome.IsReady, outcome.ToString());
        Assert.Equal(1, host.Log.Count("DeleteDBInstance"));
        Assert.Equal(0, host.Log.Count("DeleteDBCluster"));
        var left = (await host.Member.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest())).DBInstances;
        Assert.Equal([names.DatabaseInstance], left.Select(i => i.DBInstanceIdentifier));
        Assert.Null(host.Project.Status!.Database!.Standby);
        Assert.Equal(2, host.Log.Count("CreateDBInstance"));
    }

    [Fact]
    public async Task After_a_failover_the_former_standby_is_the_writer_and_turning_the_standby_off_removes_the_former_writer_not_the_new_one()
    {
        using var host = new ProjectStepHarness(moto, Shop(new DatabaseSpec { Enabled = true, StandbyReplica = true }));
        var key = await host.KeyAsync();
        var step = ProjectStepHarness.Step<DatabaseStep>(l => new DatabaseStep(l));
        Assert.True((await host.ConvergeAsync(step, c => c.Facts.Add(new StorageFacts(key)), passes: 30)).Outcome.IsReady);
        var names = host.Names;

        var failover = await AwsCli.RunAsync(moto.Endpoint, "rds", "failover-db-cluster", "--db-cluster-identifier", names.DatabaseCluster, "--target-db-instance-identifier", names.DatabaseStandbyInstance);
        Assert.True(failover.ExitCode == 0, failover.ToString());

        var writes = host.Audit.Records.Count;
        Assert.True((await step.RunAsync(host.Context(c => c.Facts.Add(new StorageFacts(key))), CancellationToken.None)).IsReady);
        Assert.Equal(writes, host.Audit.Records.Count);
        var status = host.Project.Status!.Database!;
        Assert.Equal((names.DatabaseStandbyInstance, names.DatabaseInstance), (status.WriterInstance, status.Standby?.InstanceIdentifier));

        host.Project.Spec = host.Project.Spec with { Database = host.Project.Spec.Database! with { StandbyReplica = false } };
        var (outcome, _) = await host.ConvergeAsync(step, c => c.Facts.Add(new StorageFacts(key)), passes: 30);

        Assert.True(outcome.IsReady, outcome.ToString());
        var left = (await host.Member.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest())).DBInstances;
        Assert.Equal([names.DatabaseStandbyInstance], left.Select(i => i.DBInstanceIdentifier));
        Assert.Equal(2, host.Log.Count("CreateDBInstance"));
        Assert.Equal(names.DatabaseStandbyInstance, host.Project.Status!.Database!.WriterInstance);
    }

    [Fact]
    public async Task A_disabled_database_costs_no_call()
    {
        using var host = new ProjectStepHarness(moto, Shop(new DatabaseSpec { Enabled = false }));
        var outcome = await ProjectStepHarness.Step<DatabaseStep>(l => new DatabaseStep(l)).RunAsync(host.Context(), CancellationToken.None);
        Assert.Equal(ConditionReasons.Disabled, outcome.Reason);
        Assert.Empty(host.Log.Operations);
    }
}
