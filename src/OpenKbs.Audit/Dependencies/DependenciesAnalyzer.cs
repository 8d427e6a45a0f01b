using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenKbs.Audit.Artifacts;
using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Dependencies;

/// <summary>
/// The <c>dependencies</c> analyzer: every npm package the artifact installs, matched against OSV advisories.
/// The inventory comes from each project folder's package-lock.json / npm-shrinkwrap.json (v2/v3), else from npm's
/// hidden lockfile node_modules/.package-lock.json, else from the package.json files under node_modules (what a
/// deployment zip really holds). A lockfile v1, an unreadable lockfile, or dependencies with no inventory at all are
/// findings of their own. With no reachable advisory source the analyzer ends incomplete (the engine fails closed).
/// </summary>
public sealed class DependenciesAnalyzer(IAdvisorySource? source) : IAnalyzer, IAnalyzerProvenance
{
    public const string AnalyzerName = "dependencies";
    public const string UnsupportedLockfileRule = "dependencies/unsupported-lockfile";
    public const string MissingInventoryRule = "dependencies/missing-lockfile";
    public const string NonRegistrySourceRule = "dependencies/non-registry-source";
    public const string MissingIntegrityRule = "dependencies/missing-integrity";

    private static readonly string[] LockfileNames = ["npm-shrinkwrap.json", "package-lock.json", "node_modules/.package-lock.json"];

    public string Name => AnalyzerName;

    public string? Provenance { get; private set; }

    public async Task<IReadOnlyList<Finding>> AnalyzeAsync(ArtifactContents artifact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var files = artifact.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var findings = new List<Finding>();
        var installed = new List<(string Lockfile, LockedPackage Package)>();
        foreach (var project in ProjectFolders(artifact))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lockfile = LockfileNames.Select(n => project + n).FirstOrDefault(files.ContainsKey);
            if (lockfile is not null)
            {
                try
                {
                    installed.AddRange(PackageLock.Parse(files[lockfile].Text).Select(p => (lockfile, p)));
                }
                catch (UnsupportedLockfileException ex)
                {
                    findings.Add(Unsupported(lockfile, ex.Message));
                }

                continue;
            }

            var fromModules = InstalledModules(artifact, project).ToList();
            if (fromModules.Count > 0)
            {
                installed.AddRange(fromModules.Select(p => (project + "node_modules", p)));
            }
            else if (files.TryGetValue(project + "package.json", out var manifest) && DeclaresDependencies(manifest.Text))
            {
                findings.Add(MissingInventory(project + "package.json"));
            }
        }

        findings.AddRange(installed.SelectMany(i => Hygiene(i.Lockfile, i.Package)));
        if (installed.Count == 0)
        {
            Provenance = source is null ? "no npm packages installed; no advisory source needed" : $"no npm packages installed; {source.Description} not consulted";
            return findings;
        }

        if (source is null)
        {
            Provenance = "no advisory source configured";
            throw new AnalyzerIncompleteException($"{installed.Count} npm package(s) could not be checked for known vulnerabilities: no advisory source is configured (give an OSV directory or endpoint)", findings);
        }

        IReadOnlyDictionary<PackageVersion, IReadOnlyList<OsvAdvisory>> advisories;
        try
        {
            var queries = installed.Select(i => new PackageVersion(i.Package.Name, i.Package.Version)).Distinct().ToList();
            advisories = await source.QueryAsync(queries, cancellationToken).ConfigureAwait(false);
        }
        catch (AdvisorySourceUnavailableException ex)
        {
            Provenance = source.Description;
            throw new AnalyzerIncompleteException($"{installed.Count} npm package(s) could not be checked for known vulnerabilities: {ex.Message}", findings, ex);
        }

        Provenance = $"{source.Description}; {installed.Count} installed package(s) checked";
        var reported = new HashSet<(string, string, string, string)>();
        foreach (var (lockfile, package) in installed.OrderBy(i => i.Lockfile, StringComparer.Ordinal).ThenBy(i => i.Package.InstallPath, StringComparer.Ordinal))
        {
            foreach (var advisory in advisories.GetValueOrDefault(new PackageVersion(package.Name, package.Version)) ?? [])
            {
                if (reported.Add((lockfile, package.Name, package.Version, advisory.Id)))
                {
                    findings.Add(Vulnerable(lockfile, package, advisory, installed.Where(i => i.Lockfile == lockfile && i.Package.Name == package.Name && i.Package.Version == package.Version).Select(i => i.Package)));
                }
            }
        }

        return findings;
    }

    /// <summary>
    /// Folders ("" for the root, "api/" ...) outside node_modules that hold a package.json, a lockfile or a node_modules
    /// folder (a deployment zip often ships node_modules without package.json).
    /// </summary>
    private static SortedSet<string> ProjectFolders(ArtifactContents artifact)
    {
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in artifact.Files.Select(f => f.Path))
        {
            var modules = path.StartsWith("node_modules/", StringComparison.Ordinal) ? 0 : path.IndexOf("/node_modules/", StringComparison.Ordinal) + 1;
            if (modules > 0 || path.StartsWith("node_modules/", StringComparison.Ordinal))
            {
                folders.Add(path[..modules]);
                continue;
            }

            var slash = path.LastIndexOf('/');
            if (path[(slash + 1)..] is "package.json" or "package-lock.json" or "npm-shrinkwrap.json")
            {
                folders.Add(path[..(slash + 1)]);
            }
        }

        return folders;
    }

    /// <summary>The package.json of each installed package under <paramref name="project"/>node_modules (nested ones too).</summary>
    private static IEnumerable<LockedPackage> InstalledModules(ArtifactContents artifact, string project)
    {
        var prefix = project + "node_modules/";
        foreach (var file in artifact.Files.Where(f => f.Path.StartsWith(prefix, StringComparison.Ordinal) && f.Path.EndsWith("/package.json", StringComparison.Ordinal)))
        {
            var installPath = file.Path[project.Length..^"/package.json".Length];
            var last = installPath.LastIndexOf("node_modules/", StringComparison.Ordinal);
            var folder = installPath[(last + "node_modules/".Length)..];
            // node_modules/a/package.json or node_modules/@scope/a/package.json, not a package's own sub-folders.
            if (folder.Count(c => c == '/') != (folder.StartsWith('@') ? 1 : 0))
            {
                continue;
            }

            string? name = null;
            string? version = null;
            try
            {
                using var json = JsonDocument.Parse(file.Text);
                if (json.RootElement.ValueKind == JsonValueKind.Object)
                {
                    name = json.RootElement.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                    version = json.RootElement.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                }
            }
            catch (JsonException)
            {
                // A broken package.json inside node_modules is not ours to judge; it is skipped.
            }

            if (version is not null)
            {
                yield return new LockedPackage(installPath, name ?? folder, version);
            }
        }
    }

    private static bool DeclaresDependencies(string packageJson)
    {
        try
        {
            using var json = JsonDocument.Parse(packageJson);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("dependencies", out var deps) && deps.ValueKind == JsonValueKind.Object && deps.EnumerateObject().Any();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static Finding Vulnerable(string lockfile, LockedPackage package, OsvAdvisory advisory, IEnumerable<LockedPackage> copies)
    {
        var (severity, score) = OsvMatcher.SeverityOf(advisory);
        var malicious = advisory.Id.StartsWith("MAL-", StringComparison.Ordinal);
        if (package.Dev && !malicious)
        {
            severity = Severity.Low;
        }

        var fixedIn = OsvMatcher.FixedVersion(advisory, package.Name, package.Version);
        var aliases = advisory.Aliases.Count > 0 ? $" ({string.Join(", ", advisory.Aliases)})" : string.Empty;
        var paths = copies.Select(c => c.InstallPath).Distinct(StringComparer.Ordinal).ToList();
        var scope = package.Dev ? "development-only dependency, not in the production install" : "production dependency";
        var summary = advisory.Summary ?? "known vulnerability";
        return new Finding
        {
            Analyzer = AnalyzerName,
            RuleId = $"{AnalyzerName}/{advisory.Id}",
            Severity = severity,
            Cwe = OsvMatcher.Cwes(advisory).Cast<int?>().FirstOrDefault() ?? (malicious ? 506 : 1395),
            Title = malicious ? $"Malicious package: {package.Name}" : $"{summary} ({package.Name})",
            Message = $"{package.Name} {package.Version} ({scope}) is affected by {advisory.Id}{aliases}: {summary}."
                + (fixedIn is not null ? $" Fixed in {fixedIn}." : " No fixed version is published."),
            Location = new SourceLocation(lockfile, Math.Max(1, package.Line)),
            Evidence = $"{string.Join(", ", paths)}: {package.Name}@{package.Version}" + (score is { } s ? $"; CVSS {Cvss3.Format(s)}" : string.Empty),
            Impact = malicious
                ? "The package is known to be malicious: it runs the attacker's code with the function's permissions on install or import."
                : (advisory.Details is { Length: > 0 } details ? FirstParagraph(details) : $"A known vulnerability in {package.Name} is reachable wherever the package is used."),
            Remediation = malicious
                ? $"Remove {package.Name} now, rotate every credential the build or the function could read, and review what it may have done."
                : fixedIn is not null
                    ? $"Upgrade {package.Name} to {fixedIn} or later (for a transitive dependency: upgrade the package that requires it, or pin it with \"overrides\" in package.json) and regenerate the lockfile."
                    : $"No fix is published: replace {package.Name} or remove the affected use, and follow {advisory.Id} for a fix.",
            Fingerprint = Hash(advisory.Id, package.Name, lockfile),
        };
    }

    private static IEnumerable<Finding> Hygiene(string lockfile, LockedPackage package)
    {
        var resolved = package.Resolved;
        if (resolved is null || !lockfile.EndsWith(".json", StringComparison.Ordinal))
        {
            yield break;
        }

        var severity = package.Dev ? Severity.Low : Severity.Medium;
        if (!resolved.StartsWith("https://", StringComparison.Ordinal))
        {
            yield return new Finding
            {
                Analyzer = AnalyzerName,
                RuleId = NonRegistrySourceRule,
                Severity = severity,
                Cwe = 829,
                Title = "Dependency fetched from outside an HTTPS registry",
                Message = $"{package.Name} {package.Version} is resolved from {SafeUrl(resolved)}, not from an HTTPS registry.",
                Location = new SourceLocation(lockfile, Math.Max(1, package.Line)),
                Evidence = $"{package.InstallPath}: resolved {SafeUrl(resolved)}",
                Impact = "Git, plain-HTTP and file dependencies bypass the registry's immutability and integrity checks: what installs can change between builds or be swapped in transit.",
                Remediation = "Depend on a published registry version, or pin the git dependency to a commit and review it; use HTTPS registries only.",
                Fingerprint = Hash(NonRegistrySourceRule, package.Name, lockfile),
            };
        }
        else if (package.Integrity is null)
        {
            yield return new Finding
            {
                Analyzer = AnalyzerName,
                RuleId = MissingIntegrityRule,
                Severity = severity,
                Cwe = 494,
                Title = "Dependency without an integrity hash",
                Message = $"{package.Name} {package.Version} has no integrity hash in {lockfile}.",
                Location = new SourceLocation(lockfile, Math.Max(1, package.Line)),
                Evidence = $"{package.InstallPath}: resolved {SafeUrl(resolved)}, no integrity",
                Impact = "Without an integrity hash npm cannot detect a tarball that was replaced on the registry or in a mirror.",
                Remediation = "Regenerate the lockfile with a current npm (npm install --package-lock-only) so every entry carries its sha512 integrity.",
                Fingerprint = Hash(MissingIntegrityRule, package.Name, lockfile),
            };
        }
    }

    private static Finding Unsupported(string lockfile, string reason) => new()
    {
        Analyzer = AnalyzerName,
        RuleId = UnsupportedLockfileRule,
        Severity = Severity.High,
        Cwe = 1104,
        Title = "Lockfile cannot be audited",
        Message = $"{lockfile} cannot be audited: {reason}.",
        Location = new SourceLocation(lockfile, 1),
        Evidence = lockfile,
        Impact = "The dependencies were not checked for known vulnerabilities; the artifact may carry any of them.",
        Remediation = "Regenerate the lockfile with npm 7 or later (npm install --package-lock-only --lockfile-version 3) and ship it with the artifact.",
        Fingerprint = Hash(UnsupportedLockfileRule, lockfile),
    };

    private static Finding MissingInventory(string packageJson) => new()
    {
        Analyzer = AnalyzerName,
        RuleId = MissingInventoryRule,
        Severity = Severity.High,
        Cwe = 1104,
        Title = "Dependencies without a lockfile",
        Message = $"{packageJson} declares dependencies but neither a lockfile nor installed node_modules ship beside it, so the versions that run are unknown.",
        Location = new SourceLocation(packageJson, 1),
        Evidence = packageJson,
        Impact = "Without a lockfile every build may install different versions, and none of them can be checked for known vulnerabilities.",
        Remediation = "Commit package-lock.json (npm install --package-lock-only) and build the artifact with npm ci.",
        Fingerprint = Hash(MissingInventoryRule, packageJson),
    };

    private static string FirstParagraph(string text)
    {
        var paragraph = text.Split("\n\n", 2)[0].Trim();
        return paragraph.Length > 600 ? paragraph[..600] + "..." : paragraph;
    }

    /// <summary>A resolved URL without any user-info (a token in a git URL stays out of the report).</summary>
    private static string SafeUrl(string url)
    {
        var at = url.IndexOf('@', StringComparison.Ordinal);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        return scheme >= 0 && at > scheme ? string.Concat(url.AsSpan(0, scheme + 3), "***", url.AsSpan(at)) : url;
    }

    private static string Hash(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))));
}
