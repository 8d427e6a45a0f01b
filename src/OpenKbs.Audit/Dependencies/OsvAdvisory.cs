using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenKbs.Audit.Dependencies;

/// <summary>
/// An advisory in the OSV schema (ossf/osv-schema), the fields the audit reads: id and aliases, summary/details,
/// affected npm packages with their ranges and versions, CVSS severity, GHSA's database_specific severity and CWEs.
/// </summary>
public sealed record OsvAdvisory
{
    public static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public required string Id { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    public string? Summary { get; init; }

    public string? Details { get; init; }

    public string? Modified { get; init; }

    public string? Withdrawn { get; init; }

    public IReadOnlyList<OsvAffected> Affected { get; init; } = [];

    public IReadOnlyList<OsvSeverity> Severity { get; init; } = [];

    public JsonElement? DatabaseSpecific { get; init; }

    public IReadOnlyList<OsvReference> References { get; init; } = [];

    /// <summary>Parses one OSV document; null when it is not one (no id).</summary>
    public static OsvAdvisory? Parse(string json) => JsonSerializer.Deserialize<OsvAdvisory>(json, JsonOptions) is { Id.Length: > 0 } advisory ? advisory : null;
}

public sealed record OsvAffected
{
    public OsvPackage? Package { get; init; }

    public IReadOnlyList<OsvRange> Ranges { get; init; } = [];

    public IReadOnlyList<string> Versions { get; init; } = [];
}

public sealed record OsvPackage(string Ecosystem, string Name);

public sealed record OsvRange
{
    public string Type { get; init; } = string.Empty;

    public IReadOnlyList<OsvEvent> Events { get; init; } = [];
}

public sealed record OsvEvent
{
    public string? Introduced { get; init; }

    public string? Fixed { get; init; }

    [JsonPropertyName("last_affected")]
    public string? LastAffected { get; init; }

    public string? Limit { get; init; }
}

public sealed record OsvSeverity(string Type, string Score);

public sealed record OsvReference(string Type, string Url);
