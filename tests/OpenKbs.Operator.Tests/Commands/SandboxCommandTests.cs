using OpenKbs.Operator.Commands;
using OpenKbs.Testing;

namespace OpenKbs.Operator.Tests.Commands;

/// <summary>`openkbs sandbox` finds the separate openkbs-sandbox build; the operator carries no sandbox.</summary>
public sealed class SandboxCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("openkbs-sandbox-find-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void The_operator_assembly_references_no_sandbox_assembly()
    {
        var references = typeof(SandboxCommand).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(references, name => name.StartsWith("OpenKbs.Sandbox", StringComparison.Ordinal) || name == "openkbs-sandbox");
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var output = Path.Combine(SandboxFixture.RepositoryRoot(), "src", "OpenKbs.Operator", "bin", configuration, "net10.0");
        Assert.True(File.Exists(Path.Combine(output, "openkbs.dll")), $"{output} holds no openkbs.dll");
        Assert.Empty(Directory.EnumerateFiles(output, "*andbox*"));
    }

    [Fact]
    public void Outside_a_checkout_with_nothing_beside_it_there_is_no_sandbox()
    {
        var image = Directory.CreateDirectory(Path.Combine(_root, "app")).FullName;

        Assert.Null(SandboxCommand.Find(image, image, "Release"));
    }

    [Fact]
    public void An_openkbs_sandbox_beside_the_executable_wins()
    {
        var app = Directory.CreateDirectory(Path.Combine(_root, "app")).FullName;
        File.WriteAllText(Path.Combine(app, "openkbs-sandbox.dll"), string.Empty);

        Assert.Equal(Path.Combine(app, "openkbs-sandbox.dll"), SandboxCommand.Find(app, _root, "Debug"));
    }

    [Fact]
    public void From_a_checkout_the_build_of_the_same_configuration_is_found()
    {
        File.WriteAllText(Path.Combine(_root, "OpenKbs.Operator.sln"), string.Empty);
        var operatorBin = Directory.CreateDirectory(Path.Combine(_root, "src", "OpenKbs.Operator", "bin", "Release", "net10.0")).FullName;
        var sandboxBin = Directory.CreateDirectory(Path.Combine(_root, "src", "OpenKbs.Sandbox.Host", "bin", "Release", "net10.0")).FullName;
        File.WriteAllText(Path.Combine(sandboxBin, "openkbs-sandbox.dll"), string.Empty);

        Assert.Equal(Path.Combine(sandboxBin, "openkbs-sandbox.dll"), SandboxCommand.Find(operatorBin, "/", "Release"));
        Assert.Null(SandboxCommand.Find(operatorBin, "/", "Debug"));
    }

    [Fact]
    public async Task Without_a_sandbox_build_the_verb_says_so_and_starts_nothing()
    {
        using var error = new StringWriter();

        var code = await SandboxCommand.RunAsync(["--state-dir", _root], error, Path.Combine(_root, "app"), _root);

        Assert.Equal(SandboxCommand.NotInstalled, code);
        Assert.Contains("openkbs-sandbox is not installed here", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
    }
}
