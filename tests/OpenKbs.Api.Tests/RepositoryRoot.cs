namespace OpenKbs.Api.Tests;

internal static class RepositoryRoot
{
    /// <summary>The directory holding OpenKbs.Operator.sln, found by walking up from the test assembly.</summary>
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OpenKbs.Operator.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"OpenKbs.Operator.sln not found above {AppContext.BaseDirectory}.");
    }
}
