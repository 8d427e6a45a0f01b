using System.Text.RegularExpressions;

namespace OpenKbs.Architecture.Tests;

/// <summary>
/// Controllers and the executable compare AWS error codes by named constant (<c>OpenKbs.Aws.Core.AwsErrorCode</c>), never by
/// string literal: a typo in a literal silently turns a handled error into an unhandled one, and the constants are the one
/// list a reader (and the chaos engine's catalogue) can check against AWS's documentation.
/// </summary>
public sealed partial class ErrorCodeTests
{
    private static readonly string[] Rooms = ["OpenKbs.Controllers", "OpenKbs.Operator"];

    [Fact]
    public void Controllers_compare_aws_error_codes_by_constant()
    {
        var src = Path.Combine(Repository.Root(), "src");
        var found = new List<string>();
        var scanned = 0;
        foreach (var room in Rooms)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(src, room), "*.cs", SearchOption.AllDirectories)
                         .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                scanned++;
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    if (Literal().IsMatch(lines[i]))
                    {
                        found.Add($"{Path.GetRelativePath(src, file)}:{i + 1}: {lines[i].Trim()}");
                    }
                }
            }
        }

        Assert.True(scanned > 100, $"scanned only {scanned} files");
        Assert.True(found.Count == 0, "use AwsErrorCode constants: " + string.Join("; ", found));
    }

    [Theory]
    [InlineData("catch (AwsServiceException ex) when (ex.ErrorCode == \"NoSuchBucket\")", true)]
    [InlineData("when (ex.ErrorCode is \"A\" or \"B\")", true)]
    [InlineData("if (e.ErrorCode != \"Throttling\")", true)]
    [InlineData("when (ex.ErrorCode == AwsErrorCode.NoSuchBucket)", false)]
    [InlineData("$\"answered {ex.ErrorCode}\"", false)]
    public void The_scan_finds_literal_comparisons(string code, bool flagged) => Assert.Equal(flagged, Literal().IsMatch(code));

    [GeneratedRegex(@"\bErrorCode\s*(==|!=|is(\s+not)?)\s*""")]
    private static partial Regex Literal();
}
