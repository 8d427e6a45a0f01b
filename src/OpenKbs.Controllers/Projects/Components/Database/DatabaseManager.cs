using OpenKbs.Aws.Core;
using OpenKbs.Aws.Rds;
using OpenKbs.Aws.Rds.Model;

namespace OpenKbs.Controllers.Projects.Components.Database;

/// <summary>
/// The database component's AWS side (ACK's "sdk" layer): observes the project's cluster and its instances and applies a
/// <see cref="DatabaseDelta"/>, nothing else. It takes no decisions: ownership, the standby, events and status belong to
/// <see cref="DatabaseStep"/>. Reads map "not found" to null; every other AWS error propagates to the recipe engine.
/// </summary>
internal sealed class DatabaseManager(IRdsClient rds)
{
    /// <summary>The cluster (one DescribeDBClusters), or <see cref="DatabaseObservation.Missing"/>; its instances are not read yet.</summary>
    public async Task<DatabaseObservation> ObserveAsync(string cluster, CancellationToken cancellationToken)
    {
        try
        {
            var found = (await rds.DescribeDBClustersAsync(new DescribeDBClustersRequest { DBClusterIdentifier = cluster }, cancellationToken))
                .DBClusters.FirstOrDefault(c => c.DBClusterIdentifier == cluster);
            return found is null ? DatabaseObservation.Missing : new DatabaseObservation(found, null);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return DatabaseObservation.Missing;
        }
    }

    /// <summary>Every instance of the observed cluster, whatever its role (one DescribeDBInstances, filter db-cluster-id).</summary>
    public async Task<DatabaseObservation> ObserveMembersAsync(DatabaseObservation observed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observed);
        var cluster = observed.Cluster?.DBClusterIdentifier ?? throw new ArgumentException("a missing cluster has no instances", nameof(observed));
        var instances = (await rds.DescribeDBInstancesAsync(
            new DescribeDBInstancesRequest { Filters = [new Filter { Name = "db-cluster-id", Values = [cluster] }] }, cancellationToken)).DBInstances;
        return observed with { Instances = [.. instances.Where(i => i.DBClusterIdentifier == cluster)] };
    }

    /// <summary>Creates the cluster; null when an earlier pass already created it (its answer was lost).</summary>
    public async Task<CreateDBClusterResponse?> CreateClusterAsync(CreateDBClusterRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await rds.CreateDBClusterAsync(request, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode is AwsErrorCode.DBClusterAlreadyExistsFault)
        {
            return null;
        }
    }

    /// <summary>Creates an instance of the cluster; false when an earlier pass already created it (its answer was lost).</summary>
    public async Task<bool> CreateInstanceAsync(CreateDBInstanceRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await rds.CreateDBInstanceAsync(request, cancellationToken);
            return true;
        }
        catch (AwsServiceException ex) when (ex.ErrorCode is AwsErrorCode.DBInstanceAlreadyExists or AwsErrorCode.DBInstanceAlreadyExistsFault)
        {
            return false;
        }
    }

    public Task DeleteInstanceAsync(string instance, CancellationToken cancellationToken) =>
        rds.DeleteDBInstanceAsync(new DeleteDBInstanceRequest { DBInstanceIdentifier = instance }, cancellationToken);

    /// <summary>One ModifyDBCluster with exactly the fields of <see cref="Shared.PathDelta.Paths"/>.</summary>
    public Task ModifyAsync(DatabaseDesired desired, DatabaseDelta delta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delta);
        return rds.ModifyDBClusterAsync(DatabaseRendering.Modify(desired, delta.Paths), cancellationToken);
    }

    /// <summary>Writes the delta's tags: the missing owner tags, then the released tag removed.</summary>
    public async Task ApplyTagsAsync(string clusterArn, DatabaseDelta delta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (delta.MissingTags.Count > 0)
        {
            await rds.AddTagsToResourceAsync(
                new AddTagsToResourceRequest { ResourceName = clusterArn, Tags = [.. delta.MissingTags.Select(t => new Tag { Key = t.Key, Value = t.Value })] }, cancellationToken);
        }

        if (delta.Unrelease)
        {
            await rds.RemoveTagsFromResourceAsync(new RemoveTagsFromResourceRequest { ResourceName = clusterArn, TagKeys = [OpenKbs.Api.Labels.Released] }, cancellationToken);
        }
    }

    public Task TagAsync(string clusterArn, string key, string value, CancellationToken cancellationToken) =>
        rds.AddTagsToResourceAsync(new AddTagsToResourceRequest { ResourceName = clusterArn, Tags = [new Tag { Key = key, Value = value }] }, cancellationToken);

    public Task TurnOffDeletionProtectionAsync(string cluster, CancellationToken cancellationToken) =>
        rds.ModifyDBClusterAsync(new ModifyDBClusterRequest { DBClusterIdentifier = cluster, DeletionProtection = false, ApplyImmediately = true }, cancellationToken);

    /// <summary>Deletes the cluster after a final snapshot (never <c>SkipFinalSnapshot</c>).</summary>
    public Task DeleteClusterAsync(string cluster, string finalSnapshot, CancellationToken cancellationToken) =>
        rds.DeleteDBClusterAsync(new DeleteDBClusterRequest { DBClusterIdentifier = cluster, SkipFinalSnapshot = false, FinalDBSnapshotIdentifier = finalSnapshot }, cancellationToken);
}
