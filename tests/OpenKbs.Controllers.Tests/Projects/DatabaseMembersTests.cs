using OpenKbs.Aws.Rds.Model;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.Database;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>The standby decision by role (who is the writer comes from DBClusterMembers, never from the names).</summary>
public sealed class DatabaseMembersTests
{
    private const string Region = "eu-central-1";
    private static readonly ProjectNames Names = ProjectNames.For("tenants", "shop", "uid-shop");
    private static readonly string W1 = Names.DatabaseInstance;
    private static readonly string R1 = Names.DatabaseStandbyInstance;

    private static DBInstance Instance(string id, string? zone, string status = "available") =>
        new() { DBInstanceIdentifier = id, DBClusterIdentifier = Names.DatabaseCluster, AvailabilityZone = zone, DBInstanceStatus = status };

    private static DBCluster Cluster(string? writer, params string[] readers) => new()
    {
        DBClusterIdentifier = Names.DatabaseCluster,
        AvailabilityZones = ["eu-central-1c", "eu-central-1a", "eu-central-1b"],
        DBClusterMembers = [
            .. writer is null ? [] : new[] { new DBClusterMember { DBInstanceIdentifier = writer, IsClusterWriter = true } },
            .. readers.Select(r => new DBClusterMember { DBInstanceIdentifier = r, IsClusterWriter = false })],
    };

    public static TheoryData<string, DBCluster, DBInstance[], bool, string, string?, string?> Cases => new()
    {
        { "no standby wanted, only the writer", Cluster(W1), [Instance(W1, "eu-central-1a")], false, "None", null, null },
        { "wanted: created in the first other zone", Cluster(W1), [Instance(W1, "eu-central-1a")], true, "Create", R1, "eu-central-1b" },
        { "wanted, writer in b: created in a", Cluster(W1), [Instance(W1, "eu-central-1b")], true, "Create", R1, "eu-central-1a" },
        { "wanted, writer's zone unknown: wait", Cluster(W1), [Instance(W1, null)], true, "Wait", null, null },
        { "wanted, cluster names no writer yet: wait", Cluster(null), [Instance(W1, "eu-central-1a")], true, "Wait", null, null },
        { "wanted, standby creating: wait", Cluster(W1, R1), [Instance(W1, "eu-central-1a"), Instance(R1, "eu-central-1b", "creating")], true, "Wait", null, null },
        { "wanted and in place", Cluster(W1, R1), [Instance(W1, "eu-central-1a"), Instance(R1, "eu-central-1b")], true, "None", null, null },
        { "after a failover the former writer is the standby", Cluster(R1, W1), [Instance(W1, "eu-central-1a"), Instance(R1, "eu-central-1b")], true, "None", null, null },
        { "after a failover and the former writer gone: w1 comes back as reader", Cluster(R1), [Instance(R1, "eu-central-1b")], true, "Create", W1, "eu-central-1a" },
        { "standby in the writer's zone: removed to be created elsewhere", Cluster(W1, R1), [Instance(W1, "eu-central-1a"), Instance(R1, "eu-central-1a")], true, "Remove", R1, null },
        { "turned off: the reader is removed", Cluster(W1, R1), [Instance(W1, "eu-central-1a"), Instance(R1, "eu-central-1b")], false, "Remove", R1, null },
        { "turned off after a failover: the reader is w1, never the writer", Cluster(R1, W1), [Instance(W1, "eu-central-1a"), Instance(R1, "eu-central-1b")], false, "Remove", W1, null },
        { "turned off, reader already deleting: wait", Cluster(W1, R1), [Instance(W1, "eu-central-1a"), Instance(R1, "eu-central-1b", "deleting")], false, "Wait", null, null },
        { "turned off, no writer named: nothing removed", Cluster(null, W1, R1), [Instance(W1, "eu-central-1a"), Instance(R1, "eu-central-1b")], false, "None", null, null },
        { "someone else's writer: the operator's last instance is kept", Cluster("theirs", W1), [Instance("theirs", "eu-central-1b"), Instance(W1, "eu-central-1a")], false, "None", null, null },
        { "someone else's reader is not the standby", Cluster(W1, "theirs"), [Instance(W1, "eu-central-1a"), Instance("theirs", "eu-central-1b")], true, "Create", R1, "eu-central-1b" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Standby_decision(string name, DBCluster cluster, DBInstance[] instances, bool wanted, string action, string? instance, string? zone)
    {
        var decision = DatabaseMembers.Standby(Names, cluster, instances, wanted, Region);

        Assert.True((action, instance) == (decision.Action.ToString(), decision.Instance), $"{name}: {decision}");
        if (zone is not null)
        {
            Assert.Equal(zone, decision.AvailabilityZone);
        }
    }

    [Fact]
    public void A_cluster_with_one_zone_gets_no_standby_and_says_why()
    {
        var cluster = Cluster(W1) with { AvailabilityZones = ["eu-central-1a"] };

        var decision = DatabaseMembers.Standby(Names, cluster, [Instance(W1, "eu-central-1a")], true, Region);

        Assert.Equal(StandbyAction.None, decision.Action);
        Assert.Contains("no Availability Zone", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zone_outside_the_home_region_is_never_chosen()
    {
        var cluster = Cluster(W1) with { AvailabilityZones = ["eu-west-3a", "us-east-1a", "eu-central-1", "eu-central-1a"] };

        Assert.Null(DatabaseMembers.StandbyZone(cluster, "eu-central-1a", Region));
    }

    [Fact]
    public void The_standby_request_is_a_private_serverless_reader_of_the_cluster_in_tier_zero()
    {
        var request = DatabaseMembers.CreateStandby(Names, R1, "eu-central-1b", new Dictionary<string, string> { ["openkbs.com/owner"] = "tenants/shop" });

        Assert.Equal(
            (R1, "db.serverless", "aurora-postgresql", Names.DatabaseCluster, "eu-central-1b", 0, false),
            (request.DBInstanceIdentifier, request.DBInstanceClass, request.Engine, request.DBClusterIdentifier, request.AvailabilityZone, request.PromotionTier, request.PubliclyAccessible));
        Assert.Single(request.Tags!);
    }
}
