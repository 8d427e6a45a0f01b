namespace OpenKbs.Controllers.Shared;

/// <summary>
/// What every component delta shares (ACK-style delta: each path names one setting that differs and picks one AWS call): the
/// paths in the order the manager writes them. A component adds its path names, its <c>Between</c> and any extra state.
/// </summary>
internal abstract record PathDelta
{
    public List<string> Paths { get; } = [];

    /// <summary>Nothing to write; a component with state besides <see cref="Paths"/> (tags, release) widens it.</summary>
    public virtual bool IsEmpty => Paths.Count == 0;

    public bool Has(string path) => Paths.Contains(path, StringComparer.Ordinal);
}
