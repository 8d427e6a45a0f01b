using System.Text;
using System.Text.Json.Nodes;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Rds.Model;

namespace OpenKbs.Controllers.Projects.Components.Database;

/// <summary>
/// The Aurora PostgreSQL Serverless v2 cluster of a Project as pure functions (table-tested): the create request, the desired
/// settings <see cref="DatabaseDelta"/> compares, the one ModifyDBCluster carrying a delta's paths, the sealed connection settings
/// and the execution role's statements. No password appears anywhere: the master password is managed by AWS
/// (ManageMasterUserPassword) and its secret is encrypted with the project key.
/// </summary>
internal static class DatabaseRendering
{
    public const string Engine = "aurora-postgresql";
    public const string InstanceClass = "db.serverless";
    public const string DatabaseName = "app";
    public const string MasterUsername = "openkbs_admin";
    public const int Port = 5432;

    /// <summary>The sealed setting holding the connection details (no password: the functions read the AWS-managed secret).</summary>
    public const string SettingName = "OPENKBS_DATABASE";

    public const double DefaultMinCapacity = 0.5;
    public const double DefaultMaxCapacity = 2;
    public const int DefaultBackupRetentionDays = 7;

    public static double MinCapacity(DatabaseSpec spec) => spec.MinCapacity ?? DefaultMinCapacity;

    public static double MaxCapacity(DatabaseSpec spec) => Math.Max(spec.MaxCapacity ?? DefaultMaxCapacity, MinCapacity(spec));

    public static int Retention(DatabaseSpec spec) => spec.BackupRetentionDays ?? DefaultBackupRetentionDays;

    /// <summary>The cluster: encrypted with the project key, AWS-managed master password (its secret also under the project key),
    /// PITR for <see cref="Retention"/> days, deletion protection per spec, tags copied to snapshots, the Data API on (functions reach
    /// the database without a VPC).</summary>
    public static CreateDBClusterRequest CreateCluster(ProjectNames names, DatabaseSpec spec, string keyArn, IReadOnlyDictionary<string, string> tags) => new()
    {
        DBClusterIdentifier = names.DatabaseCluster,
        Engine = Engine,
        DatabaseName = DatabaseName,
        Port = Port,
        MasterUsername = MasterUsername,
        ManageMasterUserPassword = true,
        MasterUserSecretKmsKeyId = keyArn,
        StorageEncrypted = true,
        KmsKeyId = keyArn,
        BackupRetentionPeriod = Retention(spec),
        DeletionProtection = spec.DeletionProtection,
        CopyTagsToSnapshot = true,
        EnableHttpEndpoint = true,
        ServerlessV2ScalingConfiguration = new ServerlessV2ScalingConfiguration { MinCapacity = MinCapacity(spec), MaxCapacity = MaxCapacity(spec) },
        Tags = [.. tags.Select(t => new Tag { Key = t.Key, Value = t.Value })],
    };

    /// <summary>The serverless writer instance of the cluster (never publicly accessible).</summary>
    public static CreateDBInstanceRequest CreateWriter(ProjectNames names, IReadOnlyDictionary<string, string> tags) => new()
    {
        DBInstanceIdentifier = names.DatabaseInstance,
        DBInstanceClass = InstanceClass,
        Engine = Engine,
        DBClusterIdentifier = names.DatabaseCluster,
        PubliclyAccessible = false,
        Tags = [.. tags.Select(t => new Tag { Key = t.Key, Value = t.Value })],
    };

    /// <summary>What the cluster must be: the spec's values with their defaults, the project key and the owner tags.</summary>
    public static DatabaseDesired Desired(ProjectNames names, DatabaseSpec spec, string keyArn, IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(spec);
        return new DatabaseDesired(names.DatabaseCluster, keyArn, Retention(spec), spec.DeletionProtection, MinCapacity(spec), MaxCapacity(spec), tags);
    }

    /// <summary>One ModifyDBCluster carrying exactly the fields of <paramref name="paths"/> (<see cref="DatabaseDelta"/>), applied immediately.</summary>
    public static ModifyDBClusterRequest Modify(DatabaseDesired desired, IReadOnlyCollection<string> paths)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(paths);
        return new()
        {
            DBClusterIdentifier = desired.Cluster,
            ApplyImmediately = true,
            BackupRetentionPeriod = paths.Contains(DatabaseDelta.BackupRetentionDays) ? desired.BackupRetentionDays : null,
            DeletionProtection = paths.Contains(DatabaseDelta.DeletionProtection) ? desired.DeletionProtection : null,
            ServerlessV2ScalingConfiguration = paths.Contains(DatabaseDelta.Capacity)
                ? new ServerlessV2ScalingConfiguration { MinCapacity = desired.MinCapacity, MaxCapacity = desired.MaxCapacity }
                : null,
            ManageMasterUserPassword = paths.Contains(DatabaseDelta.ManagedPassword) ? true : null,
            MasterUserSecretKmsKeyId = paths.Contains(DatabaseDelta.ManagedPassword) ? desired.KeyArn : null,
            CopyTagsToSnapshot = paths.Contains(DatabaseDelta.CopyTagsToSnapshot) ? true : null,
        };
    }

    /// <summary>The connection details the functions get (sealed): endpoints, port, database, user, the secret's and the cluster's
    /// ARNs. Deterministic bytes (fixed member order, compact), so the functions step's digest changes only when a value does.</summary>
    public static byte[] Setting(DBCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var node = new JsonObject
        {
            ["engine"] = Engine,
            ["host"] = cluster.Endpoint,
            ["readerHost"] = cluster.ReaderEndpoint,
            ["port"] = cluster.Port ?? Port,
            ["database"] = cluster.DatabaseName ?? DatabaseName,
            ["username"] = cluster.MasterUsername ?? MasterUsername,
            ["secretArn"] = cluster.MasterUserSecret?.SecretArn,
            ["clusterArn"] = cluster.DBClusterArn,
        };
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    /// <summary>Least privilege for the functions: read exactly the cluster's AWS-managed secret, and use the Data API on exactly this
    /// cluster. (The secret is encrypted with the project key, which the execution role may already decrypt with.)</summary>
    public static IReadOnlyList<string> RoleStatements(DBCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var statements = new List<string>();
        if (!string.IsNullOrEmpty(cluster.MasterUserSecret?.SecretArn))
        {
            statements.Add(PolicyDocuments.Render(new JsonObject
            {
                ["Sid"] = "ReadDatabaseSecret",
                ["Effect"] = "Allow",
                ["Action"] = "secretsmanager:GetSecretValue",
                ["Resource"] = cluster.MasterUserSecret.SecretArn,
            }));
        }

        if (!string.IsNullOrEmpty(cluster.DBClusterArn))
        {
            statements.Add(PolicyDocuments.Render(new JsonObject
            {
                ["Sid"] = "UseDatabaseDataApi",
                ["Effect"] = "Allow",
                ["Action"] = new JsonArray("rds-data:ExecuteStatement", "rds-data:BatchExecuteStatement", "rds-data:BeginTransaction", "rds-data:CommitTransaction", "rds-data:RollbackTransaction"),
                ["Resource"] = cluster.DBClusterArn,
            }));
        }

        return statements;
    }

    /// <summary>The final snapshot's identifier: the prefix plus the UTC time (letters, digits, hyphens).</summary>
    public static string FinalSnapshot(ProjectNames names, DateTimeOffset now) =>
        $"{names.DatabaseFinalSnapshotPrefix}-{now.UtcDateTime:yyyyMMdd-HHmmss}";
}
