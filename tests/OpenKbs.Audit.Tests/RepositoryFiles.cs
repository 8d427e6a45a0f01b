namespace OpenKbs.Audit.Tests;

/// <summary>Files of the repository the tests read (the example advisories, the SARIF schema).</summary>
internal static class RepositoryFiles
{
    /// <summary>The repository root (the folder holding OpenKbs.Operator.sln), found by walking up from the test binaries.</summary>
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenKbs.Operator.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("OpenKbs.Operator.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string ExampleAdvisories => Path.Combine(Root, "docs", "examples", "advisories");
}
