using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OpenKbs.Audit.Dependencies;

/// <summary>
/// Advisories from a directory of OSV JSON files (one advisory per file, any depth; the layout of the OSV npm/all.zip
/// or github/advisory-database both fit). Matching is done here by <see cref="OsvMatcher"/>. The description carries
/// the number of records and a SHA-256 over the sorted files, so a report names the exact snapshot it used.
/// A directory that is missing or holds no advisory is unavailable, not "no vulnerabilities".
/// </summary>
public sealed class DirectoryAdvisorySource(string directory) : IAdvisorySource
{
    private Dictionary<string, List<OsvAdvisory>>? _byPackage;
    private string _description = $"OSV directory {directory} (not read yet)";

    public string Description => _description;

    public Task<IReadOnlyDictionary<PackageVersion, IReadOnlyList<OsvAdvisory>>> QueryAsync(IReadOnlyCollection<PackageVersion> packages, CancellationToken cancellationToken)
    {
        var index = Load(cancellationToken);
        var result = new Dictionary<PackageVersion, IReadOnlyList<OsvAdvisory>>();
        foreach (var package in packages)
        {
            if (index.TryGetValue(package.Name, out var candidates))
            {
                var hits = candidates.Where(a => OsvMatcher.IsAffected(a, package.Name, package.Version)).ToList();
                if (hits.Count > 0)
                {
                    result[package] = hits;
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<PackageVersion, IReadOnlyList<OsvAdvisory>>>(result);
    }

    private Dictionary<string, List<OsvAdvisory>> Load(CancellationToken cancellationToken)
    {
        if (_byPackage is not null)
        {
            return _byPackage;
        }

        if (!Directory.Exists(directory))
        {
            throw new AdvisorySourceUnavailableException($"advisory directory {directory} does not exist");
        }

        var index = new Dictionary<string, List<OsvAdvisory>>(StringComparer.Ordinal);
        var digest = new StringBuilder();
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var bytes = File.ReadAllBytes(file);
            OsvAdvisory? advisory;
            try
            {
                advisory = OsvAdvisory.Parse(Encoding.UTF8.GetString(bytes));
            }
            catch (JsonException ex)
            {
                throw new AdvisorySourceUnavailableException($"advisory file {Path.GetRelativePath(directory, file)} is not valid OSV JSON: {ex.Message}", ex);
            }

            if (advisory is null)
            {
                continue;
            }

            count++;
            digest.Append(Convert.ToHexStringLower(SHA256.HashData(bytes))).Append("  ").Append(Path.GetRelativePath(directory, file).Replace('\\', '/')).Append('\n');
            foreach (var name in advisory.Affected.Select(a => a.Package).Where(p => p?.Ecosystem == OsvMatcher.Ecosystem).Select(p => p!.Name).Distinct(StringComparer.Ordinal))
            {
                if (!index.TryGetValue(name, out var list))
                {
                    index[name] = list = [];
                }

                list.Add(advisory);
            }
        }

        if (count == 0)
        {
            throw new AdvisorySourceUnavailableException($"advisory directory {directory} holds no OSV advisory");
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(digest.ToString())));
        _description = $"OSV directory {directory} ({count} advisories, snapshot sha256:{sha})";
        _byPackage = index;
        return index;
    }
}
