using OpenKbs.Zip;

namespace OpenKbs.Sandbox.Tests.Bootstrap;

/// <summary>Bad input to the deterministic zip (its bytes: SandboxAwsTests and the Api tests' ExampleTenantTests).</summary>
public sealed class DeterministicZipTests
{
    [Fact]
    public void A_zip_refuses_two_entries_of_one_name_or_an_empty_name()
    {
        Assert.Throws<ArgumentException>(() => DeterministicZip.Create([KeyValuePair.Create("a.js", "1"u8.ToArray()), KeyValuePair.Create("a.js", "2"u8.ToArray())]));
        Assert.Throws<ArgumentException>(() => DeterministicZip.Create([KeyValuePair.Create(string.Empty, "1"u8.ToArray())]));
    }
}
