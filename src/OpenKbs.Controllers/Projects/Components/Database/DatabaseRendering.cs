using System.Text;
using System.Text.Json.Nodes;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Rds.Model;

namespace OpenKbs.Controllers.Projects.Components.Database;

/// <summary>
/// The Aurora PostgreSQL Serverless v2 cluster of a Project as pure functions (table-tested): the create request, the delta of an
/// existing cluster (paths such as <c>Spec.BackupRetentionDays</c>, each one field of a single ModifyDBCluster), the sealed
/// connection settings and the execution role's statements. No password appears anywhere: the master password is managed by AWS
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

    // Delta paths.
    public const string BackupRetentionDays = "Spec.BackupRetentionDays";
    public const string DeletionProtection = "Spec.DeletionProtection";
    public const string Capacity = "Spec.Capacity";
    public const string ManagedPassword = "MasterUserSecret";
    public const string CopyTagsToSnapshot = "CopyTagsToSnapshot";

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

    /// <summary>The paths where <paramref name="cluster"/> differs from <paramref name="spec"/> (what ModifyDBCluster can change).</summary>
    public static IReadOnlyList<string> Delta(DBCluster cluster, DatabaseSpec spec)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(spec);
        var paths = new List<string>();
        if (cluster.BackupRetentionPeriod != Retention(spec))
        {
            paths.Add(BackupRetentionDays);
        }

        if ((cluster.DeletionProtection ?? false) != spec.DeletionProtection)
        {
            paths.Add(DeletionProtection);
        }

        var scaling = cluster.ServerlessV2ScalingConfiguration;
        if (scaling?.MinCapacity != MinCapacity(spec) || scaling?.MaxCapacity != MaxCapacity(spec))
        {
            paths.Add(Capacity);
        }

        if (string.IsNullOrEmpty(cluster.MasterUserSecret?.SecretArn))
        {
            paths.Add(ManagedPassword);
        }

        if (cluster.CopyTagsToSnapshot == false)
        {
            paths.Add(CopyTagsToSnapshot);
        }

        return paths;
    }

    /// <summary>One ModifyDBCluster carrying exactly the fields of <paramref name="paths"/>, applied immediately.</summary>
    public static ModifyDBClusterRequest Modify(ProjectNames names, DatabaseSpec spec, string keyArn, IReadOnlyList<string> paths) => new()
    {
        DBClusterIdentifier = names.DatabaseCluster,
        ApplyImmediately = true,
        BackupRetentionPeriod = paths.Contains(BackupRetentionDays) ? Retention(spec) : null,
        DeletionProtection = paths.Contains(DeletionProtection) ? spec.DeletionProtection : null,
        ServerlessV2ScalingConfiguration = paths.Contains(Capacity)
            ? new ServerlessV2ScalingConfiguration { MinCapacity = MinCapacity(spec), MaxCapacity = MaxCapacity(spec) }
            : null,
        ManageMasterUserPassword = paths.Contains(ManagedPassword) ? true : null,
        MasterUserSecretKmsKeyId = paths.Contains(ManagedPassword) ? keyArn : null,
        CopyTagsToSnapshot = paths.Contains(CopyTagsToSnapshot) ? true : null,
    };

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
