using OpenKbs.Api;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Tests.Support;

namespace OpenKbs.Controllers.Tests.Shared;

public sealed class OwnershipTagsTests
{
    [Fact]
    public void Every_resource_is_tagged_with_manager_owner_uid_and_namespace()
    {
        var resource = Fixtures.Account("acme", @namespace: "tenant-acme");

        var tags = OwnershipTags.For(resource);

        Assert.Equal(Labels.ManagedByValue, tags[Labels.ManagedBy]);
        Assert.Equal("tenant-acme/ClientAccount/acme", tags[Labels.Owner]);
        Assert.Equal(resource.Metadata.Uid, tags[Labels.Uid]);
        Assert.Equal("tenant-acme", tags[Labels.Namespace]);
        Assert.All(tags.Values, v => Assert.True(v.Length <= OwnershipTags.MaxValueLength));
    }

    [Theory]
    [InlineData("openkbs.com/uid", true)]
    [InlineData("aws:cloudformation:stack-name", true)]
    [InlineData("AWS:x", true)]
    [InlineData("cost-center", false)]
    public void Reserved_keys_are_recognised(string key, bool reserved) => Assert.Equal(reserved, OwnershipTags.IsReserved(key));

    private const string Uid = "u1";

    private static readonly Dictionary<string, string> Owner = new(StringComparer.Ordinal) { [Labels.ManagedBy] = Labels.ManagedByValue, [Labels.Uid] = Uid };

    public static TheoryData<Dictionary<string, string>, string?> Owners => new()
    {
        { new() { [Labels.Uid] = Uid, [Labels.Owner] = "shop/Project/web" }, null },
        { new() { ["team"] = "shop" }, null },
        { new(), null },
        { new() { [Labels.Uid] = "u2", [Labels.Owner] = "other/Project/app" }, "other/Project/app" },
        { new() { [Labels.Uid] = "u2" }, "uid u2" },
        { new() { [Labels.Uid] = "u2", [Labels.Released] = "2026-01-01T00:00:00Z" }, "uid u2" },
        { new() { [Labels.Uid] = "U1" }, "uid U1" },
    };

    [Theory]
    [MemberData(nameof(Owners))]
    public void A_resource_is_foreign_only_when_its_uid_tag_names_another_owner(Dictionary<string, string> tags, string? foreign) =>
        Assert.Equal(foreign, OwnershipTags.ForeignOwner(tags, Uid));

    [Fact]
    public void A_resource_with_a_uid_tag_is_foreign_to_a_resource_without_uid()
    {
        Assert.Equal("uid u1", OwnershipTags.ForeignOwner(Owner, uid: null));
        Assert.Null(OwnershipTags.ForeignOwner(new Dictionary<string, string>(), uid: null));
    }

    [Fact]
    public void Only_the_released_key_marks_a_resource_released()
    {
        Assert.True(OwnershipTags.IsReleased(new Dictionary<string, string> { [Labels.Released] = string.Empty }));
        Assert.False(OwnershipTags.IsReleased(Owner));
        Assert.False(OwnershipTags.IsReleased(new Dictionary<string, string> { ["OPENKBS.COM/RELEASED"] = "x" }));
    }

    [Fact]
    public void The_released_value_is_the_UTC_second_of_the_release()
    {
        var now = new DateTimeOffset(2026, 12, 6, 1, 2, 3, 456, TimeSpan.FromHours(2));

        Assert.Equal("2026-12-05T23:02:03Z", OwnershipTags.ReleasedValue(now));
    }

    public static TheoryData<Dictionary<string, string>, string[]> Missing => new()
    {
        { new() { [Labels.ManagedBy] = Labels.ManagedByValue, [Labels.Uid] = Uid, ["team"] = "shop" }, [] },
        { new() { [Labels.ManagedBy] = Labels.ManagedByValue }, [Labels.Uid] },
        { new() { [Labels.ManagedBy] = Labels.ManagedByValue, [Labels.Uid] = "u2" }, [Labels.Uid] },
        { new() { [Labels.Uid] = Uid, [Labels.Released] = "2026-01-01T00:00:00Z" }, [Labels.ManagedBy] },
        { new(), [Labels.ManagedBy, Labels.Uid] },
    };

    [Theory]
    [MemberData(nameof(Missing))]
    public void Missing_names_the_owner_tags_absent_or_with_another_value_with_the_owner_value(Dictionary<string, string> current, string[] missing)
    {
        var result = OwnershipTags.Missing(Owner, current);

        Assert.Equal(missing, result.Select(t => t.Key));
        Assert.All(result, t => Assert.Equal(Owner[t.Key], t.Value));
    }

    public static TheoryData<Dictionary<string, string>, bool> Merges => new()
    {
        { new() { [Labels.ManagedBy] = Labels.ManagedByValue, [Labels.Uid] = Uid }, false },
        { new() { [Labels.ManagedBy] = Labels.ManagedByValue, [Labels.Uid] = Uid, ["team"] = "shop" }, false },
        { new() { [Labels.ManagedBy] = Labels.ManagedByValue }, true },
        { new() { [Labels.ManagedBy] = Labels.ManagedByValue, [Labels.Uid] = Uid, [Labels.Released] = "2026-01-01T00:00:00Z" }, true },
        { new(), true },
    };

    [Theory]
    [MemberData(nameof(Merges))]
    public void Merge_writes_only_when_an_owner_tag_is_missing_or_the_resource_was_released(Dictionary<string, string> current, bool write)
    {
        var merged = OwnershipTags.Merge(current, Owner);

        Assert.Equal(write, merged is not null);
        Assert.Equal(write, OwnershipTags.Missing(Owner, current).Count > 0 || OwnershipTags.IsReleased(current));
        if (merged is not null)
        {
            Assert.DoesNotContain(Labels.Released, merged.Keys);
            Assert.All(current.Where(t => t.Key != Labels.Released), t => Assert.Equal(t.Value, merged[t.Key]));
            Assert.All(Owner, t => Assert.Equal(t.Value, merged[t.Key]));
        }
    }

    [Fact]
    public void Tags_of_each_AWS_service_read_as_pairs_with_absent_values_empty()
    {
        var rds = new OpenKbs.Aws.Rds.Model.Tag[] { new() { Key = Labels.Uid, Value = "u2" }, new() { Key = Labels.Released } };

        Assert.Equal([KeyValuePair.Create(Labels.Uid, "u2"), KeyValuePair.Create(Labels.Released, string.Empty)], rds.Pairs());
        Assert.Equal("uid u2", OwnershipTags.ForeignOwner(rds.Pairs(), Uid));
        Assert.True(OwnershipTags.IsReleased(rds.Pairs()));
        Assert.Equal(
            [KeyValuePair.Create("k", "v")],
            new OpenKbs.Aws.Iam.Model.Tag[] { new() { Key = "k", Value = "v" } }.Pairs());
    }
}
