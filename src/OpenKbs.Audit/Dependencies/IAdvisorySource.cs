namespace OpenKbs.Audit.Dependencies;

/// <summary>An npm package at one version, as asked of an advisory source.</summary>
public sealed record PackageVersion(string Name, string Version);

/// <summary>
/// Where advisories come from: a directory of OSV files (<see cref="DirectoryAdvisorySource"/>), the OSV query API
/// (<see cref="OsvApiAdvisorySource"/>), or the first reachable of several (<see cref="FirstReachableAdvisorySource"/>).
/// </summary>
public interface IAdvisorySource
{
    /// <summary>What was consulted, for the report (e.g. "OSV directory advisories/ (12 records, sha256 ab12...)").</summary>
    string Description { get; }

    /// <summary>The advisories that affect each package version (versions with none may be left out).</summary>
    /// <exception cref="AdvisorySourceUnavailableException">the source cannot be read or reached.</exception>
    Task<IReadOnlyDictionary<PackageVersion, IReadOnlyList<OsvAdvisory>>> QueryAsync(IReadOnlyCollection<PackageVersion> packages, CancellationToken cancellationToken);
}

/// <summary>An advisory source cannot be read or reached; the dependency audit did not happen.</summary>
public sealed class AdvisorySourceUnavailableException : Exception
{
    public AdvisorySourceUnavailableException()
    {
    }

    public AdvisorySourceUnavailableException(string message)
        : base(message)
    {
    }

    public AdvisorySourceUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
