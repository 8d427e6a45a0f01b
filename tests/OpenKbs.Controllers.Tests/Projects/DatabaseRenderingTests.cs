using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Rds.Model;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.Database;

namespace OpenKbs.Controllers.Tests.Projects;

public sealed class DatabaseRenderingTests
{
    private static readonly ProjectNames Names = ProjectNames.For("tenants", "shop", "uid-shop");

    [Fact]
    public void Modify_carries_exactly_the_differing_fields()
    {
        var spec = new DatabaseSpec { Enabled = true, BackupRetentionDays = 14, MaxCapacity = 4 };
        var desired = DatabaseRendering.Desired(Names, spec, "arn:aws:kms:eu-central-1:123456789012:key/k", new Dictionary<string, string>());
        var modify = DatabaseRendering.Modify(desired, [DatabaseDelta.BackupRetentionDays]);
        Assert.Equal((14, (bool?)null, (ServerlessV2ScalingConfiguration?)null, (bool?)null, true), (modify.BackupRetentionPeriod, modify.DeletionProtection, modify.ServerlessV2ScalingConfiguration, modify.ManageMasterUserPassword, modify.ApplyImmediately));
    }

    [Fact]
    public void The_cluster_is_encrypted_with_the_project_key_and_its_password_managed_by_AWS()
    {
        const string key = "arn:aws:kms:eu-central-1:123456789012:key/k";
        var create = DatabaseRendering.CreateCluster(Names, new DatabaseSpec { Enabled = true }, key, new Dictionary<string, string> { ["openkbs.com/uid"] = "uid-shop" });
        Assert.Equal(("aurora-postgresql", true, key, true, key, 7, true), (create.Engine, create.StorageEncrypted, create.KmsKeyId, create.ManageMasterUserPassword, create.MasterUserSecretKmsKeyId, create.BackupRetentionPeriod, create.DeletionProtection));
        Assert.Equal((0.5, 2.0), (create.ServerlessV2ScalingConfiguration!.MinCapacity!.Value, create.ServerlessV2ScalingConfiguration.MaxCapacity!.Value));
        Assert.DoesNotContain(typeof(CreateDBClusterRequest).GetProperties(), p => p.Name.Contains("Password", StringComparison.Ordinal) && p.Name != nameof(CreateDBClusterRequest.ManageMasterUserPassword));
    }

    [Fact]
    public void The_sealed_setting_and_role_statements_name_exact_resources_and_no_password()
    {
        var cluster = new DBCluster
        {
            MasterUserSecret = new MasterUserSecret { SecretArn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:rds!cluster-1" },
            Endpoint = "c.cluster-x.eu-central-1.rds.amazonaws.com",
            ReaderEndpoint = "c.cluster-ro-x",
            Port = 5432,
            DBClusterArn = "arn:aws:rds:eu-central-1:123456789012:cluster:c",
        };
        var setting = System.Text.Encoding.UTF8.GetString(DatabaseRendering.Setting(cluster));
        Assert.Equal(
            """{"engine":"aurora-postgresql","host":"c.cluster-x.eu-central-1.rds.amazonaws.com","readerHost":"c.cluster-ro-x","port":5432,"database":"app","username":"openkbs_admin","secretArn":"arn:aws:secretsmanager:eu-central-1:123456789012:secret:rds!cluster-1","clusterArn":"arn:aws:rds:eu-central-1:123456789012:cluster:c"}""",
            setting);
        Assert.DoesNotContain("password", setting, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(
            [
                """{"Sid":"ReadDatabaseSecret","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:eu-central-1:123456789012:secret:rds!cluster-1"}""",
                """{"Sid":"UseDatabaseDataApi","Effect":"Allow","Action":["rds-data:ExecuteStatement","rds-data:BatchExecuteStatement","rds-data:BeginTransaction","rds-data:CommitTransaction","rds-data:RollbackTransaction"],"Resource":"arn:aws:rds:eu-central-1:123456789012:cluster:c"}""",
            ],
            DatabaseRendering.RoleStatements(cluster));
    }

    [Fact]
    public void The_final_snapshot_name_is_the_prefix_and_the_time()
    {
        Assert.Equal(Names.DatabaseFinalSnapshotPrefix + "-20261126-174500", DatabaseRendering.FinalSnapshot(Names, new DateTimeOffset(2026, 11, 26, 17, 45, 0, TimeSpan.Zero)));
    }
}
