using OpenKbs.Controllers.Projects.Components.ApiKeys;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>The API-key delta is a pure function of the spec's names, the deployment and the Secret: kept, removed, needed.</summary>
public sealed class ApiKeyDeltaTests
{
    private const string Deployment = "v2-abc";

    private static readonly ApiKeySecret HandedOver = new()
    {
        Name = "shop-api-keys",
        ResourceVersion = "7",
        Deployment = Deployment,
        Keys = new Dictionary<string, string>(StringComparer.Ordinal) { ["admin"] = "okbs_a", ["reader"] = "okbs_r" },
    };

    [Fact]
    public void Keys_of_the_deployment_for_every_spec_name_need_nothing()
    {
        var delta = ApiKeyDelta.Between(["admin", "reader"], Deployment, HandedOver);

        Assert.True(delta.IsEmpty);
        Assert.Equal(HandedOver.Keys, delta.Kept);
    }

    [Fact]
    public void A_new_deployment_needs_a_key_for_every_name_and_keeps_the_old_ones_until_hand_over()
    {
        var delta = ApiKeyDelta.Between(["reader", "admin"], "v3-def", HandedOver);

        Assert.Equal(["admin", "reader"], delta.Needed);
        Assert.Empty(delta.Removed);
        Assert.Equal(HandedOver.Keys, delta.Kept);
    }

    [Fact]
    public void A_name_added_to_the_spec_needs_exactly_its_key()
    {
        var delta = ApiKeyDelta.Between(["admin", "reader", "writer"], Deployment, HandedOver);

        Assert.Equal(["writer"], delta.Needed);
        Assert.Empty(delta.Removed);
    }

    [Fact]
    public void A_name_that_left_the_spec_is_removed_and_no_longer_kept()
    {
        var delta = ApiKeyDelta.Between(["admin"], Deployment, HandedOver);

        Assert.Equal(["reader"], delta.Removed);
        Assert.Empty(delta.Needed);
        Assert.Equal(["admin"], delta.Kept.Keys);
        Assert.False(delta.IsEmpty);
    }

    [Fact]
    public void An_empty_Secret_needs_every_name_and_an_empty_spec_removes_every_key()
    {
        Assert.Equal(["admin", "reader"], ApiKeyDelta.Between(["reader", "admin"], Deployment, new ApiKeySecret { Name = "s" }).Needed);
        var none = ApiKeyDelta.Between([], Deployment, HandedOver);
        Assert.Equal(["admin", "reader"], none.Removed);
        Assert.Empty(none.Kept);
    }

    [Fact]
    public void Staged_keys_are_reused_only_when_they_hold_exactly_the_needed_names()
    {
        var delta = ApiKeyDelta.Between(["admin", "reader"], "v3-def", HandedOver);

        Assert.True(delta.IsStagedBy(new Dictionary<string, string>(StringComparer.Ordinal) { ["admin"] = "okbs_x", ["reader"] = "okbs_y" }));
        Assert.False(delta.IsStagedBy(new Dictionary<string, string>(StringComparer.Ordinal) { ["admin"] = "okbs_x" }));
        Assert.False(delta.IsStagedBy(new Dictionary<string, string>(StringComparer.Ordinal) { ["admin"] = "okbs_x", ["writer"] = "okbs_y" }));
        Assert.False(delta.IsStagedBy(null));
    }

    [Fact]
    public void Collected_keys_are_kept_by_hash_and_need_nothing_until_the_deployment_changes()
    {
        var collected = HandedOver with
        {
            Keys = new Dictionary<string, string>(StringComparer.Ordinal),
            Collected = new Dictionary<string, string>(StringComparer.Ordinal) { ["admin"] = "aa", ["reader"] = "bb" },
        };

        var same = ApiKeyDelta.Between(["admin", "writer"], Deployment, collected);
        var next = ApiKeyDelta.Between(["admin"], "v3-def", collected);

        Assert.Equal(new Dictionary<string, string> { ["admin"] = "aa" }, same.KeptCollected);
        Assert.Empty(same.Kept);
        Assert.Equal(["writer"], same.Needed);
        Assert.Equal(["reader"], same.Removed);
        Assert.Equal(["admin"], next.Needed);
        Assert.Equal(new Dictionary<string, string> { ["admin"] = "aa" }, next.KeptCollected);
    }
}
