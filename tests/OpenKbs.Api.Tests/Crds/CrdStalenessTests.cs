using OpenKbs.Api.Crds;

namespace OpenKbs.Api.Tests.Crds;

/// <summary>crds/ is generated from the C# types and checked in; this fails when someone forgets <c>make crds</c>.</summary>
public sealed class CrdStalenessTests
{
    [Fact]
    public void Checked_in_crds_match_the_generator_output()
    {
        var directory = Path.Combine(RepositoryRoot.Find(), "crds");
        var stale = new List<string>();
        foreach (var manifest in CrdGenerator.GenerateAll())
        {
            var path = Path.Combine(directory, manifest.FileName);
            if (!File.Exists(path))
            {
                stale.Add($"{manifest.FileName} is missing");
            }
            else if (File.ReadAllText(path) != manifest.Yaml)
            {
                stale.Add($"{manifest.FileName} differs");
            }
        }

        var expected = CrdGenerator.GenerateAll().Select(m => m.FileName).ToHashSet();
        stale.AddRange(Directory.GetFiles(directory, CrdFiles.SearchPattern)
            .Select(Path.GetFileName)
            .Where(name => !expected.Contains(name!))
            .Select(name => $"{name} is no longer generated"));

        Assert.True(stale.Count == 0, "crds/ is stale, run `make crds` and commit the result: " + string.Join("; ", stale));
    }

    [Fact]
    public void Writing_creates_one_file_per_kind_rewrites_nothing_unchanged_and_removes_files_of_vanished_kinds()
    {
        var directory = Directory.CreateTempSubdirectory("openkbs-crds-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "openkbs.com_oldkinds.yaml"), "stale");
            File.WriteAllText(Path.Combine(directory, "unrelated.yaml"), "kept");

            var first = CrdFiles.Write(directory).Select(Path.GetFileName).Order();
            var second = CrdFiles.Write(directory);

            Assert.Equal(
                ["openkbs.com_accounttransfers.yaml", "openkbs.com_auditruns.yaml", "openkbs.com_clientaccounts.yaml", "openkbs.com_oldkinds.yaml", "openkbs.com_projects.yaml"],
                first);
            Assert.Empty(second);
            Assert.False(File.Exists(Path.Combine(directory, "openkbs.com_oldkinds.yaml")));
            Assert.True(File.Exists(Path.Combine(directory, "unrelated.yaml")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
