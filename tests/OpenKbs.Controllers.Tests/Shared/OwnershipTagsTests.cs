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
}
