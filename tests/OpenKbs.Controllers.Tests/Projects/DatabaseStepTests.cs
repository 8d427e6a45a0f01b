using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Rds.Model;
using OpenKbs.Controllers.Projects;
using OpenKbs.Testing.Moto;
using OpenKbs.Controllers.Projects.Components.Database;
using OpenKbs.Controllers.Projects.Components.Storage;

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
        Assert.Contains(host.Events, e => e.Contains(DatabaseRendering.BackupRetentionDays, StringComparison.Ordinal) && e.Contains(DatabaseRendering.DeletionProtection, StringComparison.Ordinal));
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
    public async Task A_disabled_database_costs_no_call()
    {
        using var host = new ProjectStepHarness(moto, Shop(new DatabaseSpec { Enabled = false }));
        var outcome = await ProjectStepHarness.Step<DatabaseStep>(l => new DatabaseStep(l)).RunAsync(host.Context(), CancellationToken.None);
        Assert.Equal(ConditionReasons.Disabled, outcome.Reason);
        Assert.Empty(host.Log.Operations);
    }
}
