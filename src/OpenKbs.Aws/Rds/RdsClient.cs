using System.Globalization;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Aws.Rds.Model;

namespace OpenKbs.Aws.Rds;

/// <summary>
/// The hand-written RDS client (awsQuery over the shared pipeline). Resources are audited as ARNs in the scope's account and
/// region; KMS key ARNs in requests are checked by the EU guard. No request type can carry a password.
/// </summary>
internal sealed class RdsClient(AwsRequestPipeline pipeline, AwsCallScope scope) : AwsClientBase(pipeline, scope), IRdsClient
{
    private static readonly AwsService Service = AwsServices.Rds;

    // Dependent actions: tags at creation (rds:AddTagsToResource); ManageMasterUserPassword makes RDS create the master secret
    // with the caller's permissions (secretsmanager:CreateSecret/TagResource on secret:rds!*) encrypted with the project key, as
    // is the storage (kms:CreateGrant/DescribeKey/Decrypt/GenerateDataKey); a final snapshot is rds:CreateDBClusterSnapshot.
    internal static readonly AwsOperation CreateDBCluster = AwsOperation.Write(Service, nameof(CreateDBCluster)) with { Iam = ["rds:CreateDBCluster", "rds:AddTagsToResource", "secretsmanager:CreateSecret", "secretsmanager:TagResource", "kms:CreateGrant", "kms:DescribeKey", "kms:Decrypt", "kms:GenerateDataKey"] };
    internal static readonly AwsOperation DescribeDBClusters = AwsOperation.Read(Service, nameof(DescribeDBClusters));
    internal static readonly AwsOperation ModifyDBCluster = AwsOperation.Write(Service, nameof(ModifyDBCluster)) with { Iam = ["rds:ModifyDBCluster", "secretsmanager:CreateSecret", "secretsmanager:TagResource", "kms:CreateGrant", "kms:DescribeKey", "kms:Decrypt", "kms:GenerateDataKey"] };
    internal static readonly AwsOperation DeleteDBCluster = AwsOperation.Write(Service, nameof(DeleteDBCluster)) with { Iam = ["rds:DeleteDBCluster", "rds:CreateDBClusterSnapshot"] };
    internal static readonly AwsOperation CreateDBInstance = AwsOperation.Write(Service, nameof(CreateDBInstance)) with { Iam = ["rds:CreateDBInstance", "rds:AddTagsToResource"] };
    internal static readonly AwsOperation DescribeDBInstances = AwsOperation.Read(Service, nameof(DescribeDBInstances));
    internal static readonly AwsOperation DeleteDBInstance = AwsOperation.Write(Service, nameof(DeleteDBInstance));
    internal static readonly AwsOperation AddTagsToResource = AwsOperation.Write(Service, nameof(AddTagsToResource));
    internal static readonly AwsOperation ListTagsForResource = AwsOperation.Read(Service, nameof(ListTagsForResource));
    internal static readonly AwsOperation RemoveTagsFromResource = AwsOperation.Write(Service, nameof(RemoveTagsFromResource));
    internal static readonly AwsOperation DescribeDBClusterSnapshots = AwsOperation.Read(Service, nameof(DescribeDBClusterSnapshots));

    public Task<CreateDBClusterResponse> CreateDBClusterAsync(CreateDBClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryAsync<CreateDBClusterResponse>(
            CreateDBCluster,
            request,
            Audit(
                Arn("cluster", request.DBClusterIdentifier),
                d => d.Add("Engine", request.Engine).Add("EngineVersion", request.EngineVersion).Add("EngineMode", request.EngineMode)
                    .Add("DatabaseName", request.DatabaseName).Add("MasterUsername", request.MasterUsername)
                    .Add("ManageMasterUser", request.ManageMasterUserPassword).Add("StorageEncrypted", request.StorageEncrypted)
                    .Add("KmsKeyId", request.KmsKeyId).Add("BackupRetentionPeriod", request.BackupRetentionPeriod)
                    .Add("DeletionProtection", request.DeletionProtection).Add("CopyTagsToSnapshot", request.CopyTagsToSnapshot)
                    .Add("ServerlessV2ScalingConfiguration", Scaling(request.ServerlessV2ScalingConfiguration))
                    .Add("DBSubnetGroupName", request.DBSubnetGroupName).Add("TagKeys", request.Tags?.Select(t => t.Key ?? string.Empty))),
            cancellationToken,
            r => r.DBCluster?.DBClusterArn,
            [request.KmsKeyId, request.MasterUserSecretKmsKeyId]);
    }

    public async Task<DescribeDBClustersResponse> DescribeDBClustersAsync(DescribeDBClustersRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            DescribeDBClusters.Name,
            marker => QueryAsync<DescribeDBClustersResponse>(DescribeDBClusters, request with { Marker = marker }, null, cancellationToken, guardedArns: [request.DBClusterIdentifier]),
            page => page.DBClusters,
            page => page.Marker);
        return new DescribeDBClustersResponse { DBClusters = all };
    }

    public Task<ModifyDBClusterResponse> ModifyDBClusterAsync(ModifyDBClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryAsync<ModifyDBClusterResponse>(
            ModifyDBCluster,
            request,
            Audit(
                Arn("cluster", request.DBClusterIdentifier),
                d => d.Add("ApplyImmediately", request.ApplyImmediately).Add("BackupRetentionPeriod", request.BackupRetentionPeriod)
                    .Add("PreferredBackupWindow", request.PreferredBackupWindow).Add("DeletionProtection", request.DeletionProtection)
                    .Add("CopyTagsToSnapshot", request.CopyTagsToSnapshot).Add("ServerlessV2ScalingConfiguration", Scaling(request.ServerlessV2ScalingConfiguration))
                    .Add("ManageMasterUser", request.ManageMasterUserPassword).Add("RotateMasterUser", request.RotateMasterUserPassword)
                    .Add("EngineVersion", request.EngineVersion).Add("AllowMajorVersionUpgrade", request.AllowMajorVersionUpgrade)),
            cancellationToken,
            guardedArns: [request.DBClusterIdentifier, request.MasterUserSecretKmsKeyId]);
    }

    public Task<DeleteDBClusterResponse> DeleteDBClusterAsync(DeleteDBClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryAsync<DeleteDBClusterResponse>(
            DeleteDBCluster,
            request,
            Audit(
                Arn("cluster", request.DBClusterIdentifier),
                d => d.Add("SkipFinalSnapshot", request.SkipFinalSnapshot).Add("FinalDBSnapshotIdentifier", request.FinalDBSnapshotIdentifier)
                    .Add("DeleteAutomatedBackups", request.DeleteAutomatedBackups)),
            cancellationToken,
            guardedArns: [request.DBClusterIdentifier]);
    }

    public Task<CreateDBInstanceResponse> CreateDBInstanceAsync(CreateDBInstanceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryAsync<CreateDBInstanceResponse>(
            CreateDBInstance,
            request,
            Audit(
                Arn("db", request.DBInstanceIdentifier),
                d => d.Add("DBInstanceClass", request.DBInstanceClass).Add("Engine", request.Engine).Add("DBClusterIdentifier", request.DBClusterIdentifier).Add("AvailabilityZone", request.AvailabilityZone)
                    .Add("PubliclyAccessible", request.PubliclyAccessible).Add("PromotionTier", request.PromotionTier)
                    .Add("TagKeys", request.Tags?.Select(t => t.Key ?? string.Empty))),
            cancellationToken,
            r => r.DBInstance?.DBInstanceArn);
    }

    public async Task<DescribeDBInstancesResponse> DescribeDBInstancesAsync(DescribeDBInstancesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            DescribeDBInstances.Name,
            marker => QueryAsync<DescribeDBInstancesResponse>(DescribeDBInstances, request with { Marker = marker }, null, cancellationToken, guardedArns: [request.DBInstanceIdentifier]),
            page => page.DBInstances,
            page => page.Marker);
        return new DescribeDBInstancesResponse { DBInstances = all };
    }

    public Task<DeleteDBInstanceResponse> DeleteDBInstanceAsync(DeleteDBInstanceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryAsync<DeleteDBInstanceResponse>(
            DeleteDBInstance,
            request,
            Audit(
                Arn("db", request.DBInstanceIdentifier),
                d => d.Add("SkipFinalSnapshot", request.SkipFinalSnapshot).Add("FinalDBSnapshotIdentifier", request.FinalDBSnapshotIdentifier)),
            cancellationToken,
            guardedArns: [request.DBInstanceIdentifier]);
    }

    public Task<AddTagsToResourceResponse> AddTagsToResourceAsync(AddTagsToResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryAsync<AddTagsToResourceResponse>(
            AddTagsToResource,
            request,
            Audit(request.ResourceName, d => d.Add("Tags", request.Tags.Select(t => $"{t.Key}={t.Value}"))),
            cancellationToken);
    }

    public Task<ListTagsForResourceResponse> ListTagsForResourceAsync(ListTagsForResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryAsync<ListTagsForResourceResponse>(ListTagsForResource, request, null, cancellationToken, guardedArns: [request.ResourceName]);
    }

    public Task<RemoveTagsFromResourceResponse> RemoveTagsFromResourceAsync(RemoveTagsFromResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryAsync<RemoveTagsFromResourceResponse>(
            RemoveTagsFromResource, request, Audit(request.ResourceName, d => d.Add("TagKeys", request.TagKeys)), cancellationToken);
    }

    public async Task<DescribeDBClusterSnapshotsResponse> DescribeDBClusterSnapshotsAsync(DescribeDBClusterSnapshotsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AwsPagination.CollectAsync(
            Service.SigningName,
            DescribeDBClusterSnapshots.Name,
            marker => QueryAsync<DescribeDBClusterSnapshotsResponse>(DescribeDBClusterSnapshots, request with { Marker = marker }, null, cancellationToken),
            page => page.DBClusterSnapshots,
            page => page.Marker);
        return new DescribeDBClusterSnapshotsResponse { DBClusterSnapshots = all };
    }

    private static string? Scaling(ServerlessV2ScalingConfiguration? scaling) =>
        scaling is null
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"min={scaling.MinCapacity}; max={scaling.MaxCapacity}; pause={scaling.SecondsUntilAutoPause}");

    /// <summary>The ARN of a cluster ("cluster") or instance ("db") in the scope; an ARN stays as is.</summary>
    private string Arn(string kind, string identifier) =>
        identifier.StartsWith("arn:", StringComparison.Ordinal) || Scope.AccountId is null
            ? identifier
            : $"arn:aws:rds:{Scope.Region}:{Scope.AccountId}:{kind}:{identifier}";
}
