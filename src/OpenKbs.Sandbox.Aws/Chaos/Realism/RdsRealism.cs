using System.Xml.Linq;

namespace OpenKbs.Sandbox.Aws.Chaos.Realism;

/// <summary>
/// RDS as AWS behaves and moto does not: clusters and instances are <c>creating</c> and
/// <c>modifying</c> for a while before <c>available</c>, and modifying one that is not available
/// fails with InvalidDBClusterStateFault / InvalidDBInstanceState.
/// </summary>
internal sealed class RdsRealism(AwsRealismOptions options) : IRealismModule
{
    private const string Creating = "creating";
    private const string Modifying = "modifying";

    private static readonly HashSet<string> ClusterCreations = new(StringComparer.Ordinal)
    {
        "CreateDBCluster", "RestoreDBClusterToPointInTime", "RestoreDBClusterFromSnapshot", "RestoreDBClusterFromS3",
    };

    private readonly Lock _gate = new();
    private readonly Dictionary<string, DbState> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DbState> _instances = new(StringComparer.Ordinal);

    public bool Handles(AwsRequestInfo request) => request.Service == "rds";

    public void Reset()
    {
        lock (_gate)
        {
            _clusters.Clear();
            _instances.Clear();
        }
    }

    public async Task<HttpResponseMessage> HandleAsync(RealismContext context, CancellationToken cancellationToken)
    {
        var operation = context.Info.Operation;
        var cluster = operation.Contains("DBCluster", StringComparison.Ordinal);
        var idField = cluster ? "DBClusterIdentifier" : "DBInstanceIdentifier";
        var table = cluster ? _clusters : _instances;
        var isMutation = ClusterCreations.Contains(operation) || operation is "CreateDBInstance" or "ModifyDBCluster" or "ModifyDBInstance" or "DeleteDBCluster" or "DeleteDBInstance";
        var isDescribe = operation is "DescribeDBClusters" or "DescribeDBInstances";
        if (!isMutation && !isDescribe)
        {
            return await context.ForwardAsync(cancellationToken);
        }

        var account = await context.CallerAccountAsync(cancellationToken);
        var key = context.Form(idField) is { } id ? Key(account, context.Info.Region, id) : null;
        if (operation is "ModifyDBCluster" or "ModifyDBInstance" && key is not null)
        {
            lock (_gate)
            {
                if (table.TryGetValue(key, out var state) && state.Pending.IsPending(context.Now))
                {
                    context.Count("InvalidState");
                    return cluster
                        ? context.Error(400, "InvalidDBClusterStateFault", $"DB cluster {context.Form(idField)} is not available for modification with status {state.Status}")
                        : context.Error(400, "InvalidDBInstanceState", $"Database instance {context.Form(idField)} is not in available state (status {state.Status}).");
                }
            }
        }

        var response = await context.ForwardAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return response;
        }

        if (operation is "DeleteDBCluster" or "DeleteDBInstance")
        {
            lock (_gate)
            {
                table.Remove(key ?? string.Empty);
            }

            return response;
        }

        var document = await ResponseBodies.ReadXmlAsync(response, cancellationToken);
        if (document?.Root is not { } root)
        {
            return response;
        }

        lock (_gate)
        {
            var now = context.Now;
            if (isMutation && key is not null)
            {
                var status = operation.StartsWith("Modify", StringComparison.Ordinal) ? Modifying : Creating;
                table[key] = new DbState(status, PendingTransition.Start(options.RdsPolls, options.RdsDelay, now));
                foreach (var element in Elements(root, cluster))
                {
                    ResponseBodies.SetChild(element, cluster ? "Status" : "DBInstanceStatus", status);
                }
            }
            else
            {
                foreach (var element in Elements(root, cluster))
                {
                    var identifier = ResponseBodies.Child(element, idField)?.Value;
                    if (identifier is not null && table.TryGetValue(Key(account, context.Info.Region, identifier), out var state))
                    {
                        ResponseBodies.SetChild(element, cluster ? "Status" : "DBInstanceStatus", state.Pending.Observe(now) ? state.Status : "available");
                    }
                }
            }
        }

        ResponseBodies.SetXml(response, document);
        return response;
    }

    private static List<XElement> Elements(XElement root, bool cluster) =>
        ResponseBodies.All(root, cluster ? "DBCluster" : "DBInstance").ToList();

    private static string Key(string account, string region, string identifier) => account + "/" + region + "/" + identifier.ToLowerInvariant();

    private sealed record DbState(string Status, PendingTransition Pending);
}
