using OpenKbs.Testing;

namespace OpenKbs.Controllers.Tests.Support;

/// <summary>The sandbox API server with the repository's CRDs installed.</summary>
public sealed class CrdSandboxFixture : SandboxFixture
{
    protected override IEnumerable<string> CrdDirectories => [RepositoryCrdsDirectory];
}
