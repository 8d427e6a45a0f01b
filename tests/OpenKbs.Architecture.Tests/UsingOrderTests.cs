namespace OpenKbs.Architecture.Tests;

/// <summary>
/// Every C# file under src/, tests/ and bench/ lists its namespace usings sorted as the IDE's "Sort Usings" leaves them
/// (.editorconfig <c>dotnet_sort_system_directives_first</c>): System and System.* first, then by name part, case ignored.
/// Static and alias usings are not compared. A merge that appends a using at the end of a block fails here.
/// </summary>
public sealed class UsingOrderTests
{
    private static readonly string[] Roots = ["src", "tests", "bench"];

    [Fact]
    public void Every_using_block_is_sorted_system_first()
    {
        var root = Repository.Root();
        var unsorted = new List<string>();
        var scanned = 0;
        foreach (var file in Roots.Select(r => Path.Combine(root, r)).Where(Directory.Exists)
                     .SelectMany(dir => Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories))
                     .Where(f => !IsBuildOutput(f)))
        {
            scanned++;
            var usings = NamespaceUsings(File.ReadLines(file));
            var sorted = usings.Order(UsingComparer.Instance).ToList();
            if (!usings.SequenceEqual(sorted, StringComparer.Ordinal))
            {
                var first = usings.Zip(sorted).First(p => p.First != p.Second);
                unsorted.Add($"{Path.GetRelativePath(root, file)} (using {first.First} where using {first.Second} belongs)");
            }
        }

        Assert.True(scanned > 300, $"scanned only {scanned} files");
        Assert.True(unsorted.Count == 0, "sort the usings (System first, then by name, case ignored): " + string.Join("; ", unsorted));
    }

    [Theory]
    [InlineData(new[] { "System", "System.Text", "k8s", "Microsoft.Extensions.Logging", "OpenKbs.Aws.Iam", "OpenKbs.Aws.IoT", "OpenKbs.Aws.S3", "OpenKbs.Aws.S3.Model", "OpenKbs.Aws.Scheduler" }, true)]
    [InlineData(new[] { "OpenKbs.Api", "System.Text" }, false)]
    [InlineData(new[] { "OpenKbs.Aws.IoT", "OpenKbs.Aws.Iam" }, false)]
    [InlineData(new[] { "OpenKbs.Controllers.Shared", "OpenKbs.Api" }, false)]
    public void The_order_is_system_first_then_by_name_part_case_ignored(string[] names, bool sorted) =>
        Assert.Equal(sorted, names.SequenceEqual(names.Order(UsingComparer.Instance)));

    /// <summary>The namespace usings (not static, not alias) before the first declaration, as their names.</summary>
    private static List<string> NamespaceUsings(IEnumerable<string> lines)
    {
        var names = new List<string>();
        foreach (var line in lines.Select(l => l.Trim()))
        {
            if (line.StartsWith("namespace ", StringComparison.Ordinal) || line.StartsWith('[') || line.StartsWith("public ", StringComparison.Ordinal)
                || line.StartsWith("internal ", StringComparison.Ordinal))
            {
                break;
            }

            if (line.StartsWith("using ", StringComparison.Ordinal) && line.EndsWith(';') && !line.StartsWith("using static ", StringComparison.Ordinal)
                && !line.Contains('=', StringComparison.Ordinal) && !line.Contains('(', StringComparison.Ordinal))
            {
                names.Add(line["using ".Length..^1].Trim());
            }
        }

        return names;
    }

    private static bool IsBuildOutput(string file)
    {
        var separator = Path.DirectorySeparatorChar;
        return file.Contains($"{separator}obj{separator}", StringComparison.Ordinal) || file.Contains($"{separator}bin{separator}", StringComparison.Ordinal)
            || file.Contains($"{separator}node_modules{separator}", StringComparison.Ordinal);
    }

    private sealed class UsingComparer : IComparer<string>
    {
        public static readonly UsingComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            var bySystem = IsSystem(y).CompareTo(IsSystem(x));
            if (bySystem != 0)
            {
                return bySystem;
            }

            var (a, b) = (x.Split('.'), y.Split('.'));
            for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                var part = string.Compare(a[i], b[i], StringComparison.OrdinalIgnoreCase);
                if (part != 0)
                {
                    return part;
                }
            }

            return a.Length.CompareTo(b.Length);
        }

        private static bool IsSystem(string name) => name == "System" || name.StartsWith("System.", StringComparison.Ordinal);
    }
}
