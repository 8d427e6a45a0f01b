using System.Xml.Linq;

namespace OpenKbs.Operator.Tests.Deploy;

/// <summary>
/// The image's build context (Dockerfile, .dockerignore): no container runtime here, so what can be checked without one is
/// that every file the operator's projects embed reaches the build (a resource glob that matches nothing builds silently).
/// </summary>
public sealed class ImageTests
{
    [Fact]
    public void Every_file_the_operators_projects_embed_reaches_the_image_build()
    {
        var root = ChartRenderer.Root;
        var ignored = File.ReadAllLines(Path.Combine(root, ".dockerignore"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith('!'))
            .ToList();
        var embedded = Directory.GetFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !Excluded(Path.GetRelativePath(root, p).Replace('\\', '/'), ignored))
            .SelectMany(p => XDocument.Load(p).Descendants("EmbeddedResource").Select(e => (Project: p, Include: e.Attribute("Include")?.Value)))
            .Where(e => e.Include is not null)
            .ToList();

        Assert.Contains(embedded, e => e.Include!.Contains("OpenKbs.Access", StringComparison.Ordinal));
        foreach (var (project, include) in embedded)
        {
            var pattern = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, include!));
            var files = Directory.GetFiles(Path.GetDirectoryName(pattern)!, Path.GetFileName(pattern));
            Assert.True(files.Length > 0, $"{include} of {Path.GetFileName(project)} matches no file");
            Assert.All(files, f =>
            {
                var relative = Path.GetRelativePath(root, f).Replace('\\', '/');
                Assert.False(Excluded(relative, ignored), $"{relative} is embedded by {Path.GetFileName(project)} but .dockerignore leaves it out of the image build");
            });
        }
    }

    /// <summary>Whether a .dockerignore line excludes <paramref name="path"/>: the subset of its syntax the file uses (a directory
    /// prefix, <c>**/</c> anywhere, <c>*.ext</c>).</summary>
    private static bool Excluded(string path, IEnumerable<string> patterns) => patterns.Any(p => p switch
    {
        _ when p.StartsWith("**/", StringComparison.Ordinal) && p.EndsWith('/') => ("/" + path).Contains("/" + p[3..], StringComparison.Ordinal),
        _ when p.StartsWith("**/", StringComparison.Ordinal) => path.EndsWith(p[2..], StringComparison.Ordinal),
        _ when p.StartsWith("*.", StringComparison.Ordinal) => !path.Contains('/', StringComparison.Ordinal) && path.EndsWith(p[1..], StringComparison.Ordinal),
        _ when p.EndsWith('/') => path.StartsWith(p, StringComparison.Ordinal),
        _ => path == p,
    });
}
