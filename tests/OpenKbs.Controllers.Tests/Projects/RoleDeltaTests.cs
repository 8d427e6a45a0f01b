using OpenKbs.Api;
using OpenKbs.Aws.Iam.Model;
using OpenKbs.Controllers.Projects.Components.Roles;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>The role delta shared by the execution role and the scheduler role: pure, one field per kind of drift.</summary>
public sealed class RoleDeltaTests
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private const string Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"*"}]}""";

    private static readonly Dictionary<string, string> Owner = new(StringComparer.Ordinal) { [Labels.Uid] = "u1", [Labels.Owner] = "tenant/shop" };

    private static RoleDesired Desired(bool only = true) => new("okbs-role", "d", Trust, "openkbs", Policy, Owner, only);

    private static RoleObservation Converged(IReadOnlyList<string>? inline = null, IReadOnlyList<AttachedPolicy>? attached = null, IReadOnlyList<Tag>? tags = null) => new(
        new Role { RoleName = "okbs-role", AssumeRolePolicyDocument = Trust },
        tags ?? [.. Owner.Select(t => new Tag { Key = t.Key, Value = t.Value }), new Tag { Key = "team", Value = "x" }],
        Policy,
        inline ?? ["openkbs"],
        attached ?? []);

    [Fact]
    public void A_converged_role_has_no_delta() => Assert.True(RoleDelta.Between(Desired(), Converged()).IsEmpty);

    [Fact]
    public void Trust_and_permissions_are_compared_by_meaning_not_text()
    {
        var reordered = Converged() with
        {
            Role = new Role { AssumeRolePolicyDocument = """{"Statement":[{"Action":"sts:AssumeRole","Principal":{"Service":"lambda.amazonaws.com"},"Effect":"Allow"}],"Version":"2012-10-17"}""" },
        };
        Assert.True(RoleDelta.Between(Desired(), reordered).IsEmpty);

        var widened = RoleDelta.Between(Desired(), Converged() with { Policy = Policy.Replace("logs:PutLogEvents", "*", StringComparison.Ordinal) });
        Assert.Equal(["permissions"], widened.Changes);
        var missing = RoleDelta.Between(Desired(), Converged() with { Policy = null, Role = new Role { AssumeRolePolicyDocument = "{}" } });
        Assert.Equal(["trust policy", "permissions"], missing.Changes);
    }

    [Fact]
    public void Other_policies_are_drift_only_for_a_role_that_must_hold_only_its_own()
    {
        var observed = Converged(inline: ["openkbs", "added-by-hand"], attached: [new AttachedPolicy { PolicyName = "AdministratorAccess", PolicyArn = "arn:aws:iam::aws:policy/AdministratorAccess" }]);

        var strict = RoleDelta.Between(Desired(only: true), observed);
        Assert.Equal(["inline policy added-by-hand removed", "managed policy AdministratorAccess detached"], strict.Changes);
        Assert.Equal(["added-by-hand"], strict.InlinePoliciesToRemove);

        Assert.True(RoleDelta.Between(Desired(only: false), observed).IsEmpty);
    }

    [Fact]
    public void Missing_owner_tags_and_a_released_tag_are_tag_work_not_permission_changes()
    {
        var delta = RoleDelta.Between(Desired(), Converged(tags: [new Tag { Key = Labels.Uid, Value = "u1" }, new Tag { Key = Labels.Released, Value = "2026-01-01T00:00:00Z" }]));

        Assert.False(delta.IsEmpty);
        Assert.Empty(delta.Changes);
        Assert.Equal([KeyValuePair.Create(Labels.Owner, "tenant/shop")], delta.MissingTags);
        Assert.True(delta.Unrelease);
    }

    [Fact]
    public void A_role_tagged_for_another_project_names_its_owner()
    {
        var foreign = Converged(tags: [new Tag { Key = Labels.Uid, Value = "u2" }, new Tag { Key = Labels.Owner, Value = "other/app" }]);

        Assert.Equal("other/app", foreign.OwnerOtherThan("u1"));
        Assert.Null(Converged().OwnerOtherThan("u1"));
        Assert.Null(Converged(tags: []).OwnerOtherThan("u1"));
    }
}
