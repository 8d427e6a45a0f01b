using OpenKbs.Aws.Rds.Model;

namespace OpenKbs.Aws.Rds;

/// <summary>
/// RDS (awsQuery, regional, 2014-10-31): the Aurora PostgreSQL Serverless v2 operations a Project needs. Names and shapes follow
/// the official AWSSDK.RDS client (docs/aws.md, the official-package debt). There is deliberately no way to pass a master password:
/// clusters use ManageMasterUserPassword, and responses carry only the secret's ARN (MasterUserSecret).
/// </summary>
public interface IRdsClient
{
    /// <summary>Creates an (empty) cluster. DBClusterAlreadyExistsFault (400) is classified Conflict: describe it instead.</summary>
    Task<CreateDBClusterResponse> CreateDBClusterAsync(CreateDBClusterRequest request, CancellationToken cancellationToken = default);

    /// <summary>Clusters (all pages); an unknown identifier is DBClusterNotFoundFault (NotFound).</summary>
    Task<DescribeDBClustersResponse> DescribeDBClustersAsync(DescribeDBClustersRequest request, CancellationToken cancellationToken = default);

    /// <summary>Changes a cluster (InvalidDBClusterStateFault, Conflict, unless it is available).</summary>
    Task<ModifyDBClusterResponse> ModifyDBClusterAsync(ModifyDBClusterRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes a cluster (after its instances; with a final snapshot unless SkipFinalSnapshot).</summary>
    Task<DeleteDBClusterResponse> DeleteDBClusterAsync(DeleteDBClusterRequest request, CancellationToken cancellationToken = default);

    /// <summary>Creates an instance (db.serverless in a cluster).</summary>
    Task<CreateDBInstanceResponse> CreateDBInstanceAsync(CreateDBInstanceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Instances (all pages); an unknown identifier is DBInstanceNotFound (NotFound).</summary>
    Task<DescribeDBInstancesResponse> DescribeDBInstancesAsync(DescribeDBInstancesRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes an instance.</summary>
    Task<DeleteDBInstanceResponse> DeleteDBInstanceAsync(DeleteDBInstanceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Adds or overwrites tags on a resource ARN.</summary>
    Task<AddTagsToResourceResponse> AddTagsToResourceAsync(AddTagsToResourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>The tags of a resource ARN.</summary>
    Task<ListTagsForResourceResponse> ListTagsForResourceAsync(ListTagsForResourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Removes tags from a resource ARN.</summary>
    Task<RemoveTagsFromResourceResponse> RemoveTagsFromResourceAsync(RemoveTagsFromResourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Cluster snapshots (all pages), e.g. to find a final snapshot.</summary>
    Task<DescribeDBClusterSnapshotsResponse> DescribeDBClusterSnapshotsAsync(DescribeDBClusterSnapshotsRequest request, CancellationToken cancellationToken = default);
}
