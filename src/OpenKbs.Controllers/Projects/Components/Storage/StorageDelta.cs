namespace OpenKbs.Controllers.Projects.Components.Storage;

/// <summary>The bucket settings that differ from the spec (ACK-style delta: each path picks one S3 call).</summary>
internal sealed record StorageDelta
{
    public const string Versioning = "Versioning";
    public const string Encryption = "Encryption";
    public const string PublicAccessBlock = "PublicAccessBlock";
    public const string Lifecycle = "Lifecycle";
    public const string Policy = "Policy";
    public const string Tags = "Tags";

    public List<string> Paths { get; } = [];

    public bool IsEmpty => Paths.Count == 0;

    public bool Has(string path) => Paths.Contains(path, StringComparer.Ordinal);

    public override string ToString() => string.Join(", ", Paths);
}
