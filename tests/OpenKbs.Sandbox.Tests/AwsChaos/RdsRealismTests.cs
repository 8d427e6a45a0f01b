using OpenKbs.Testing.AwsChaos;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Sandbox.Tests.AwsChaos;

[Collection(MotoCollection.Name)]
public sealed class RdsRealismTests(MotoServerFixture moto)
{
    [Fact]
    public async Task Aws_cli_sees_creating_then_available_and_cannot_modify_in_between()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "realism=on,rds-polls=1");

        var created = (await Chaos.CliAsync(proxy, "rds", "create-db-cluster", "--db-cluster-identifier", "Shop", "--engine", "aurora-postgresql",
            "--master-username", "app", "--manage-master-user-password", "--serverless-v2-scaling-configuration", "MinCapacity=0.5,MaxCapacity=4")).Json();
        Assert.Equal("creating", created.GetProperty("DBCluster").GetProperty("Status").GetString());

        var refused = await Chaos.CliAsync(proxy, "rds", "modify-db-cluster", "--db-cluster-identifier", "shop", "--backup-retention-period", "7", "--apply-immediately");
        Assert.Equal("InvalidDBClusterStateFault", refused.ErrorCode);

        var first = (await Chaos.CliAsync(proxy, "rds", "describe-db-clusters", "--db-cluster-identifier", "shop")).Json();
        var second = (await Chaos.CallAsync(RawAws.Query(proxy.Endpoint, "rds", "DescribeDBClusters", "2014-10-31", [new("DBClusterIdentifier", "shop")]))).Body;
        Assert.Equal("creating", first.GetProperty("DBClusters")[0].GetProperty("Status").GetString());
        Assert.Equal("available", second.Xml("Status"));

        var modified = (await Chaos.CliAsync(proxy, "rds", "modify-db-cluster", "--db-cluster-identifier", "shop", "--backup-retention-period", "7", "--apply-immediately")).Json();
        Assert.Equal("modifying", modified.GetProperty("DBCluster").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task Instances_pass_through_creating_and_modifying()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "realism=on,rds-polls=1");
        static KeyValuePair<string, string> P(string key, string value) => new(key, value);
        await Chaos.CallAsync(RawAws.Query(proxy.Endpoint, "rds", "CreateDBCluster", "2014-10-31",
            [P("DBClusterIdentifier", "c"), P("Engine", "aurora-postgresql"), P("MasterUsername", "app"), P("MasterUserPassword", "secret-password-1")]));
        var (createStatus, _) = await Chaos.CallAsync(RawAws.Query(proxy.Endpoint, "rds", "CreateDBInstance", "2014-10-31",
            [P("DBInstanceIdentifier", "c-1"), P("DBClusterIdentifier", "c"), P("Engine", "aurora-postgresql"), P("DBInstanceClass", "db.serverless")]));
        Assert.Equal(200, createStatus);

        async Task<string> StatusAsync()
        {
            var (_, body) = await Chaos.CallAsync(RawAws.Query(proxy.Endpoint, "rds", "DescribeDBInstances", "2014-10-31", [P("DBInstanceIdentifier", "c-1")]));
            var text = body.Text("text");
            var start = text.IndexOf("<DBInstanceStatus>", StringComparison.Ordinal) + "<DBInstanceStatus>".Length;
            return text[start..text.IndexOf("</DBInstanceStatus>", start, StringComparison.Ordinal)];
        }

        var (refusedStatus, refused) = await Chaos.CallAsync(RawAws.Query(proxy.Endpoint, "rds", "ModifyDBInstance", "2014-10-31", [P("DBInstanceIdentifier", "c-1"), P("ApplyImmediately", "true")]));
        var creating = new[] { await StatusAsync(), await StatusAsync() };
        var (modifyStatus, _) = await Chaos.CallAsync(RawAws.Query(proxy.Endpoint, "rds", "ModifyDBInstance", "2014-10-31", [P("DBInstanceIdentifier", "c-1"), P("ApplyImmediately", "true")]));
        var modifying = new[] { await StatusAsync(), await StatusAsync() };

        Assert.Equal(400, refusedStatus);
        Assert.Contains("<Code>InvalidDBInstanceState</Code>", refused.Text("text"), StringComparison.Ordinal);
        Assert.Equal(["creating", "available"], creating);
        Assert.Equal(200, modifyStatus);
        Assert.Equal(["modifying", "available"], modifying);
    }
}
