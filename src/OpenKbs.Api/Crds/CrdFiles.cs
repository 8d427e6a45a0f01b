namespace OpenKbs.Api.Crds;

/// <summary>Writes the generated CRDs into a directory (the repository's <c>crds/</c>).</summary>
public static class CrdFiles
{
    /// <summary>The file name pattern of generated CRDs.</summary>
    public const string SearchPattern = ApiGroup.Name + "_*.yaml";

    /// <summary>
    /// Writes one file per kind into <paramref name="directory"/> (created if missing), leaves unchanged files
    /// untouched and deletes generated files of kinds that no longer exist. Returns the paths written or deleted.
    /// </summary>
    public static IReadOnlyList<string> Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var manifests = CrdGenerator.GenerateAll();
        var changed = new List<string>();
        foreach (var manifest in manifests)
        {
            var path = Path.Combine(directory, manifest.FileName);
            if (!File.Exists(path) || File.ReadAllText(path) != manifest.Yaml)
            {
                File.WriteAllText(path, manifest.Yaml);
                changed.Add(path);
            }
        }

        var expected = manifests.Select(m => m.FileName).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in Directory.GetFiles(directory, SearchPattern).Where(p => !expected.Contains(Path.GetFileName(p))))
        {
            File.Delete(stale);
            changed.Add(stale);
        }

        return changed;
    }
}
