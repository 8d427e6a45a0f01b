using OpenKbs.Testing;

namespace OpenKbs.EndToEnd.Tests.Support;

/// <summary>The sandbox API server with the repository's CRDs installed.</summary>
public sealed class CrdSandboxFixture : SandboxFixture
{
    protected override IEnumerable<string> CrdDirectories => [RepositoryCrdsDirectory];
}
