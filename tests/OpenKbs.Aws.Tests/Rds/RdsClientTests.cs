using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Aws.Rds.Model;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;
using Tag = OpenKbs.Aws.Rds.Model.Tag;

namespace OpenKbs.Aws.Tests.Rds;

[Collection(MotoCollection.Name)]
public sealed class RdsClientTests(MotoServerFixture moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Aurora_serverless_v2_lifecycle_against_moto_never_shows_a_password()
    {
        using var host = new AwsTestHost(moto);
        var member = Members.In(host);
        var key = (await member.Kms.CreateKeyAsync(new CreateKeyRequest { Description = "shop data" })).KeyMetadata!.Arn!;
        var rds = member.Rds;

        var cluster = (await rds.CreateDBClusterAsync(Cluster("shop-db", key))).DBCluster!;
        Assert.Equal("arn:aws:rds:eu-central-1:123456789012:cluster:shop-db", cluster.DBClusterArn);
        Assert.Equal("aurora-postgresql", cluster.Engine);
        Assert.True(cluster.StorageEncrypted);
        Assert.Equal(key, cluster.KmsKeyId);
        Assert.Equal(7, cluster.BackupRetentionPeriod);
        Assert.True(cluster.DeletionProtection);
        Assert.True(cluster.CopyTagsToSnapshot);
        Assert.Equal(0.5, cluster.ServerlessV2ScalingConfiguration!.MinCapacity);
        Assert.Equal(4, cluster.ServerlessV2ScalingConfiguration.MaxCapacity);
        Assert.StartsWith("arn:aws:secretsmanager:eu-central-1:123456789012:secret:", cluster.MasterUserSecret!.SecretArn, StringComparison.Ordinal);
        Assert.Equal("openkbs", Assert.Single(cluster.TagList!, t => t.Key == "openkbs.com/managed-by").Value);

        var instance = (await rds.CreateDBInstanceAsync(new CreateDBInstanceRequest
        {
            DBInstanceIdentifier = "shop-db-1",
            DBInstanceClass = "db.serverless",
            Engine = "aurora-postgresql",
            DBClusterIdentifier = "shop-db",
            Tags = [new Tag { Key = "openkbs.com/managed-by", Value = "openkbs" }],
        })).DBInstance!;
        Assert.Equal("db.serverless", instance.DBInstanceClass);

        var described = Assert.Single((await rds.DescribeDBClustersAsync(new DescribeDBClustersRequest { DBClusterIdentifier = "shop-db" })).DBClusters);
        Assert.Equal("shop-db-1", Assert.Single(described.DBClusterMembers!).DBInstanceIdentifier);
        Assert.False(string.IsNullOrEmpty(described.Endpoint));
        var instances = await rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest
        {
            Filters = [new Filter { Name = "db-cluster-id", Values = ["shop-db"] }],
        });
        Assert.Equal("shop-db-1", Assert.Single(instances.DBInstances).DBInstanceIdentifier);

        var modified = (await rds.ModifyDBClusterAsync(new ModifyDBClusterRequest
        {
            DBClusterIdentifier = "shop-db",
            BackupRetentionPeriod = 14,
            ServerlessV2ScalingConfiguration = new ServerlessV2ScalingConfiguration { MinCapacity = 1, MaxCapacity = 8 },
            ApplyImmediately = true,
        })).DBCluster!;
        Assert.Equal(14, modified.BackupRetentionPeriod);

        await rds.AddTagsToResourceAsync(new AddTagsToResourceRequest { ResourceName = cluster.DBClusterArn!, Tags = [new Tag { Key = "team", Value = "a" }] });
        await rds.RemoveTagsFromResourceAsync(new RemoveTagsFromResourceRequest { ResourceName = cluster.DBClusterArn!, TagKeys = ["team"] });
        var tags = await rds.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceName = cluster.DBClusterArn! });
        Assert.Equal(["openkbs.com/managed-by", "openkbs.com/uid"], tags.TagList.Select(t => t.Key).Order(StringComparer.Ordinal));

        // Deletion protection first (Terminal: only a deliberate ModifyDBCluster lifts it), then Aurora refuses while instances
        // exist (Conflict: delete the instance, then retry), then the cluster goes with a final snapshot.
        var protectedCluster = await Assert.ThrowsAsync<AwsServiceException>(() => rds.DeleteDBClusterAsync(
            new DeleteDBClusterRequest { DBClusterIdentifier = "shop-db", FinalDBSnapshotIdentifier = "shop-db-final" }));
        Assert.Equal("InvalidParameterCombination", protectedCluster.ErrorCode);
        Assert.True(protectedCluster.IsTerminal);
        await rds.ModifyDBClusterAsync(new ModifyDBClusterRequest { DBClusterIdentifier = "shop-db", DeletionProtection = false, ApplyImmediately = true });
        var busy = await Assert.ThrowsAsync<AwsServiceException>(() => rds.DeleteDBClusterAsync(
            new DeleteDBClusterRequest { DBClusterIdentifier = "shop-db", FinalDBSnapshotIdentifier = "shop-db-final" }));
        Assert.Equal("InvalidDBClusterStateFault", busy.ErrorCode);
        Assert.True(busy.IsConflict);

        await rds.DeleteDBInstanceAsync(new DeleteDBInstanceRequest { DBInstanceIdentifier = "shop-db-1" });
        await rds.DeleteDBClusterAsync(new DeleteDBClusterRequest { DBClusterIdentifier = "shop-db", FinalDBSnapshotIdentifier = "shop-db-final" });
        var snapshots = await rds.DescribeDBClusterSnapshotsAsync(new DescribeDBClusterSnapshotsRequest { DBClusterIdentifier = "shop-db" });
        var final = Assert.Single(snapshots.DBClusterSnapshots, s => s.DBClusterSnapshotIdentifier == "shop-db-final");
        Assert.Equal("manual", final.SnapshotType);

        var gone = await Assert.ThrowsAsync<AwsServiceException>(() => rds.DescribeDBClustersAsync(new DescribeDBClustersRequest { DBClusterIdentifier = "shop-db" }));
        Assert.Equal("DBClusterNotFoundFault", gone.ErrorCode);
        Assert.True(gone.IsNotFound);
        Assert.False(string.IsNullOrEmpty(gone.RequestId));

        var records = host.Audit.Records.Where(r => r.Action.StartsWith("rds:", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["rds:CreateDBCluster", "rds:CreateDBInstance", "rds:ModifyDBCluster", "rds:AddTagsToResource", "rds:RemoveTagsFromResource",
             "rds:DeleteDBCluster", "rds:ModifyDBCluster", "rds:DeleteDBCluster", "rds:DeleteDBInstance", "rds:DeleteDBCluster"],
            records.Select(r => r.Action));
        Assert.Equal(cluster.DBClusterArn, records[0].Resource);
        Assert.Equal("true", records[0].Details["ManageMasterUser"]);
        Assert.Equal("min=0.5; max=4; pause=", records[0].Details["ServerlessV2ScalingConfiguration"]);
        Assert.Equal(AuditOutcome.Failure, records[5].Outcome);
        Assert.Equal(AuditOutcome.Failure, records[7].Outcome);
        Assert.Equal("shop-db-final", records[9].Details["FinalDBSnapshotIdentifier"]);

        // No request type has a password member, and the answers carry the secret's ARN only.
        Assert.DoesNotContain(typeof(CreateDBClusterRequest).Assembly.GetTypes().Where(t => t.Namespace == "OpenKbs.Aws.Rds.Model").SelectMany(t => t.GetProperties()),
            p => p.Name.Contains("Password", StringComparison.Ordinal) && p.Name != "ManageMasterUserPassword" && p.Name != "RotateMasterUserPassword");
        Assert.DoesNotContain(host.Counter.Requests, r => r.Body.StartsWith("MasterUserPassword=", StringComparison.Ordinal) || r.Body.Contains("&MasterUserPassword=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_duplicate_create_is_a_conflict()
    {
        using var host = new AwsTestHost(moto);
        var rds = Members.In(host).Rds;
        await rds.CreateDBClusterAsync(Cluster("dup-db", kmsKey: null));
        var duplicate = await Assert.ThrowsAsync<AwsServiceException>(() => rds.CreateDBClusterAsync(Cluster("dup-db", kmsKey: null)));

        // AWS answers DBClusterAlreadyExistsFault (400); moto 5.2.1 answers DBClusterSnapshotAlreadyExistsFault from its automated
        // snapshot (and replaces the cluster's attributes). Both are Conflict: describe, never blind-create.
        Assert.Contains(duplicate.ErrorCode, new[] { "DBClusterAlreadyExistsFault", "DBClusterSnapshotAlreadyExistsFault" });
        Assert.True(duplicate.IsConflict);
    }

    [Fact]
    public async Task The_wire_matches_the_AWS_SDK_for_JavaScript()
    {
        using var host = new AwsTestHost(moto);
        var rds = Members.In(host).Rds;
        await rds.CreateDBClusterAsync(Cluster("ours", kmsKey: null));
        await rds.DescribeDBClustersAsync(new DescribeDBClustersRequest { DBClusterIdentifier = "ours" });
        await rds.ModifyDBClusterAsync(new ModifyDBClusterRequest
        {
            DBClusterIdentifier = "ours", BackupRetentionPeriod = 14, DeletionProtection = false, ApplyImmediately = true,
            ServerlessV2ScalingConfiguration = new ServerlessV2ScalingConfiguration { MinCapacity = 1, MaxCapacity = 8 },
        });
        await rds.CreateDBInstanceAsync(new CreateDBInstanceRequest { DBInstanceIdentifier = "ours-1", DBInstanceClass = "db.serverless", Engine = "aurora-postgresql", DBClusterIdentifier = "ours" });
        await rds.RemoveTagsFromResourceAsync(new RemoveTagsFromResourceRequest { ResourceName = "arn:aws:rds:eu-central-1:123456789012:cluster:ours", TagKeys = ["a", "b"] });
        await rds.DeleteDBInstanceAsync(new DeleteDBInstanceRequest { DBInstanceIdentifier = "ours-1" });
        await rds.DeleteDBClusterAsync(new DeleteDBClusterRequest { DBClusterIdentifier = "ours", FinalDBSnapshotIdentifier = "ours-final" });
        var ours = host.Counter.Sent.Where(s => s.Operation is not "AssumeRole").ToDictionary(s => s.Operation, s => s.Request);

        var js = await JsSdk.RunAsync(moto.Endpoint, "eu-central-1",
        [
            new("rds", "CreateDBCluster", new
            {
                DBClusterIdentifier = "ours-js", Engine = "aurora-postgresql", EngineVersion = "16.4", MasterUsername = "app", ManageMasterUserPassword = true,
                StorageEncrypted = true, BackupRetentionPeriod = 7, DeletionProtection = false, CopyTagsToSnapshot = true,
                ServerlessV2ScalingConfiguration = new { MinCapacity = 0.5, MaxCapacity = 4 },
                Tags = new[] { new { Key = "openkbs.com/managed-by", Value = "openkbs" }, new { Key = "openkbs.com/uid", Value = "uid-shop" } },
            }),
            new("rds", "DescribeDBClusters", new { DBClusterIdentifier = "ours-js" }),
            new("rds", "ModifyDBCluster", new
            {
                DBClusterIdentifier = "ours-js", BackupRetentionPeriod = 14, DeletionProtection = false, ApplyImmediately = true,
                ServerlessV2ScalingConfiguration = new { MinCapacity = 1, MaxCapacity = 8 },
            }),
            new("rds", "CreateDBInstance", new { DBInstanceIdentifier = "ours-js-1", DBInstanceClass = "db.serverless", Engine = "aurora-postgresql", DBClusterIdentifier = "ours-js" }),
            new("rds", "RemoveTagsFromResource", new { ResourceName = "arn:aws:rds:eu-central-1:123456789012:cluster:ours-js", TagKeys = new[] { "a", "b" } }),
            new("rds", "DeleteDBInstance", new { DBInstanceIdentifier = "ours-js-1" }),
            new("rds", "DeleteDBCluster", new { DBClusterIdentifier = "ours-js", FinalDBSnapshotIdentifier = "ours-js-final" }),
            new("rds", "DescribeDBClusterSnapshots", new { DBClusterIdentifier = "ours" }),
        ]);
        Assert.All(js, r => r.EnsureOk());
        Assert.Contains(js[7].Get("DBClusterSnapshots").EnumerateArray(), s => s.GetProperty("DBClusterSnapshotIdentifier").GetString() == "ours-final");

        (string Operation, int Index)[] pairs =
        [
            ("CreateDBCluster", 0), ("DescribeDBClusters", 1), ("ModifyDBCluster", 2), ("CreateDBInstance", 3), ("RemoveTagsFromResource", 4),
            ("DeleteDBInstance", 5), ("DeleteDBCluster", 6),
        ];
        foreach (var (operation, index) in pairs)
        {
            var theirs = js[index].Request!;
            Assert.Equal(theirs.Method, ours[operation].Method);
            Assert.Equal(theirs.Path, ours[operation].Path);
            WireAssert.SameQuery(theirs.Body.Replace("ours-js", "ours", StringComparison.Ordinal), ours[operation].Body);
        }
    }

    private static CreateDBClusterRequest Cluster(string id, string? kmsKey) => new()
    {
        DBClusterIdentifier = id,
        Engine = "aurora-postgresql",
        EngineVersion = "16.4",
        MasterUsername = "app",
        ManageMasterUserPassword = true,
        StorageEncrypted = true,
        KmsKeyId = kmsKey,
        BackupRetentionPeriod = 7,
        DeletionProtection = kmsKey is not null,
        CopyTagsToSnapshot = true,
        ServerlessV2ScalingConfiguration = new ServerlessV2ScalingConfiguration { MinCapacity = 0.5, MaxCapacity = 4 },
        Tags = [new Tag { Key = "openkbs.com/managed-by", Value = "openkbs" }, new Tag { Key = "openkbs.com/uid", Value = "uid-shop" }],
    };
}
