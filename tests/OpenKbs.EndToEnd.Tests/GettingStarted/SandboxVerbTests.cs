using OpenKbs.EndToEnd.Tests.Support;
using OpenKbs.Testing;

namespace OpenKbs.EndToEnd.Tests.GettingStarted;

/// <summary>`openkbs sandbox ARGS` runs the checkout's openkbs-sandbox with exactly those arguments and hands back its exit code.</summary>
public sealed class SandboxVerbTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("openkbs-sandbox-verb-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task Arguments_help_and_exit_code_pass_through_to_openkbs_sandbox()
    {
        var repository = SandboxFixture.RepositoryRoot();
        var refused = OperatorProcess.StartVerb(["sandbox", "--state-dir", _state, "--aws-chaos", "bogus=1"], new Dictionary<string, string>(), repository);
        var help = OperatorProcess.StartVerb(["sandbox", "--help"], new Dictionary<string, string>(), repository);

        var refusedCode = await refused.WaitForExitAsync(TimeSpan.FromMinutes(1));
        var helpCode = await help.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(2, refusedCode);
        Assert.Contains("unknown key 'bogus'", refused.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_state));
        Assert.Equal(0, helpCode);
        Assert.Contains("openkbs-sandbox [options]", help.Output, StringComparison.Ordinal);
        Assert.Contains("--state-dir", help.Output, StringComparison.Ordinal);
        await refused.DisposeAsync();
        await help.DisposeAsync();
    }
}
