namespace OpenKbs.Architecture.Tests;

/// <summary>The checkout the tests scan.</summary>
internal static class Repository
{
    /// <summary>The directory holding OpenKbs.Operator.sln, found upwards from the test binaries.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenKbs.Operator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no OpenKbs.Operator.sln above {AppContext.BaseDirectory}");
    }
}
