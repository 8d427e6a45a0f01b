using System.Text.RegularExpressions;

namespace OpenKbs.Architecture.Tests;

/// <summary>
/// No step calls another step (docs/architecture.md, "The reconcile recipe"): a step learns what an earlier step found from the
/// typed facts it returned, and shared knowledge (tag values, names, renderings) lives in Shared or in a component's helpers.
/// The scan reads the Controllers sources: a step's members are named only in its own file and in the helpers of its own folder
/// (its component), never by another step, another component or a recipe.
/// </summary>
public sealed partial class StepIsolationTests
{
    [Fact]
    public void No_step_member_is_named_outside_its_component()
    {
        var root = Path.Combine(Repository.Root(), "src", "OpenKbs.Controllers");
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllText, StringComparer.Ordinal);
        var steps = files.SelectMany(f => StepDeclaration().Matches(f.Value).Select(m => (Step: m.Groups["name"].Value, File: f.Key))).ToList();
        Assert.True(steps.Count >= 20, $"found only {steps.Count} steps: {string.Join(", ", steps.Select(s => s.Step))}");

        var stepFiles = steps.Select(s => s.File).ToHashSet(StringComparer.Ordinal);
        var found = new List<string>();
        foreach (var (file, source) in files)
        {
            var folder = Folder(file);
            var allowed = steps.Where(s => s.File == file || (!stepFiles.Contains(file) && Folder(s.File) == folder)).Select(s => s.Step).ToHashSet(StringComparer.Ordinal);
            found.AddRange(Uses(source, steps.Select(s => s.Step).Where(s => !allowed.Contains(s))).Select(use => $"{file}: {use}"));
        }

        Assert.True(found.Count == 0, "a step's member is used outside its component (return a fact, or move the shared piece to Shared or a helper): " + string.Join("; ", found));
    }

    [Theory]
    [InlineData("Tags = { [Labels.Released] = ExecutionRoleStep.Released(context) },", "ExecutionRoleStep.Released")]
    [InlineData("var buckets = PreflightStep.Buckets(pass).ToList();", "PreflightStep.Buckets")]
    [InlineData("var step = new ExecutionRoleStep(logger);", null)]
    [InlineData("/// see <see cref=\"ExecutionRoleStep.RunAsync\"/> and ExecutionRoleStep.Name", null)]
    [InlineData("var name = OwnershipTags.ReleasedValue(context.Now);", null)]
    public void The_scan_finds_member_uses_outside_comments(string line, string? flagged)
    {
        string[] expected = flagged is null ? [] : [flagged];
        Assert.Equal(expected, Uses(line, ["ExecutionRoleStep", "PreflightStep"]).ToArray());
    }

    private static string Folder(string file) => Path.GetDirectoryName(file)!.Replace(Path.DirectorySeparatorChar, '/');

    private static IEnumerable<string> Uses(string source, IEnumerable<string> steps)
    {
        var names = steps.ToHashSet(StringComparer.Ordinal);
        return source.Split('\n')
            .Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .SelectMany(line => MemberUse().Matches(line))
            .Where(m => names.Contains(m.Groups["type"].Value))
            .Select(m => m.Value)
            .Distinct(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\bclass\s+(?<name>\w+Step)\b[^{]*:\s*[^{]*\b(IRecipeStep<|IProjectStep\b)")]
    private static partial Regex StepDeclaration();

    [GeneratedRegex(@"\b(?<type>[A-Z]\w*Step)\.(?<member>[A-Z]\w*)")]
    private static partial Regex MemberUse();
}
