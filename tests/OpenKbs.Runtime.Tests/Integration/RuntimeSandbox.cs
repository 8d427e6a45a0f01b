using OpenKbs.Testing;

namespace OpenKbs.Runtime.Tests.Integration;

/// <summary>The sandbox API server with the test Widget CRD installed, shared by the runtime integration tests.</summary>
public sealed class RuntimeSandbox : SandboxFixture
{
    protected override IEnumerable<string> CrdDirectories => [Path.Combine(AppContext.BaseDirectory, "TestData")];
}

[CollectionDefinition(Name)]
public sealed class RuntimeSandboxCollection : ICollectionFixture<RuntimeSandbox>
{
    public const string Name = "runtime against the sandbox API server";
}
