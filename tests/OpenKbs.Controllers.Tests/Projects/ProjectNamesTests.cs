using System.Text.RegularExpressions;
using OpenKbs.Controllers.Projects;

namespace OpenKbs.Controllers.Tests.Projects;

public sealed class ProjectNamesTests
{
    public static TheoryData<string, string> Identities => new()
    {
        { "acme", "shop" },
        { "a", "b" },
        { new string('n', 63), new string('p', 253) },
        { "team.example", "web.shop--v2" },
    };

    [Theory]
    [MemberData(nameof(Identities))]
    public void Every_name_fits_its_service_alphabet_and_length(string ns, string name)
    {
        var names = ProjectNames.For(ns, name, "0b3a4c2e-1111-2222-3333-444455556666");

        Assert.Matches(@"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", names.Bucket);
        Assert.DoesNotContain("--", names.Bucket, StringComparison.Ordinal);
        Assert.InRange(names.ExecutionRole.Length, 1, 64);
        Assert.Matches(@"^[\w+=,.@-]+$", names.ExecutionRole);
        Assert.InRange(names.SchedulerRole.Length, 1, 64);
        Assert.InRange(names.Function(new string('f', 32)).Length, 1, 64);
        Assert.Matches("^[a-zA-Z0-9-_]+$", names.Function("api"));
        Assert.Matches("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", names.DatabaseCluster);
        Assert.InRange(names.DatabaseCluster.Length, 1, 63);
        Assert.Matches("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", names.DatabaseInstance);
        Assert.InRange(names.DatabaseInstance.Length, 1, 63);
        Assert.Matches("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", names.DatabaseStandbyInstance);
        Assert.InRange(names.DatabaseStandbyInstance.Length, 1, 63);
        Assert.InRange(names.OriginAccessControl.Length, 1, 64);
        Assert.Matches("^[0-9a-zA-Z-_.]{1,64}$", names.ScheduleGroup);
        Assert.InRange(names.ApiKeySecret.Length, 1, 253);
        Assert.StartsWith("alias/openkbs/", names.KeyAlias, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_are_deterministic_and_differ_by_uid()
    {
        var first = ProjectNames.For("acme", "shop", "uid-1");
        var again = ProjectNames.For("acme", "shop", "uid-1");
        var recreated = ProjectNames.For("acme", "shop", "uid-2");

        Assert.Equal(first.Bucket, again.Bucket);
        Assert.Equal(first.Function("api"), again.Function("api"));
        Assert.NotEqual(first.Bucket, recreated.Bucket);
        Assert.StartsWith("okbs-acme-shop-", first.Bucket, StringComparison.Ordinal);
        Assert.Equal("shop-api-keys", first.ApiKeySecret);
        Assert.Matches(new Regex("^acme-shop-[0-9a-f]{8}-api$"), first.Function("api"));
    }

    [Fact]
    public void Long_identities_cut_the_base_but_keep_the_hash()
    {
        var a = ProjectNames.For(new string('x', 60), "shop", "uid-a");
        var b = ProjectNames.For(new string('x', 60), "shop", "uid-b");

        Assert.NotEqual(a.Bucket, b.Bucket);
        Assert.EndsWith(a.Hash, a.Bucket, StringComparison.Ordinal);
    }

    [Fact]
    public void Deployment_ids_change_with_version_or_artifact()
    {
        Assert.Equal("1.0.0+7cf8e8638862", DeploymentIds.For("1.0.0", ProjectFixtures.Sha));
        Assert.NotEqual(DeploymentIds.For("1.0.0", ProjectFixtures.Sha), DeploymentIds.For("1.0.1", ProjectFixtures.Sha));
        Assert.NotEqual(DeploymentIds.For("1.0.0", ProjectFixtures.Sha), DeploymentIds.For("1.0.0", new string('a', 64)));
    }

    [Fact]
    public void An_envelope_context_binds_the_Project_by_namespace_name_uid_and_purpose()
    {
        var names = ProjectNames.For("acme", "shop", "0b3a4c2e-1111-2222-3333-444455556666");

        Assert.Equal(
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["openkbs.com/owner"] = "acme/Project/shop",
                ["openkbs.com/uid"] = "0b3a4c2e-1111-2222-3333-444455556666",
                ["openkbs.com/purpose"] = "OPENKBS_API_KEYS",
            },
            names.EnvelopeContext("OPENKBS_API_KEYS"));
        Assert.NotEqual(names.EnvelopeContext("OPENKBS_API_KEYS"), ProjectNames.For("acme", "shop", "another-uid").EnvelopeContext("OPENKBS_API_KEYS"));
    }
}
