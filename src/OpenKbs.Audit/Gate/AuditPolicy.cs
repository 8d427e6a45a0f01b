using System.Text.Json;
using System.Text.Json.Serialization;
using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Gate;

/// <summary>
/// What makes a run fail: open findings at or above <see cref="FailOn"/>, and, unless <see cref="AllowIncomplete"/>,
/// any check that could not finish (fail closed). <see cref="Suppressions"/> accept single findings for a time.
/// </summary>
public sealed record AuditPolicy
{
    public static readonly AuditPolicy Default = new();

    public Severity FailOn { get; init; } = Severity.High;

    public bool AllowIncomplete { get; init; }

    public IReadOnlyList<Suppression> Suppressions { get; init; } = [];

    /// <summary>"critical", "high" or "medium" (any case) to a severity; anything else is a usage error.</summary>
    public static Severity ParseFailOn(string value) => value.Trim().ToLowerInvariant() switch
    {
        "critical" => Severity.Critical,
        "high" => Severity.High,
        "medium" => Severity.Medium,
        _ => throw new FormatException($"--fail-on must be critical, high or medium, not '{value}'"),
    };

    /// <summary>Throws <see cref="FormatException"/> naming every unusable suppression.</summary>
    public void Validate()
    {
        var problems = Suppressions.SelectMany(s => s.Problems()).ToList();
        if (problems.Count > 0)
        {
            throw new FormatException(string.Join("; ", problems));
        }
    }

    /// <summary>
    /// Reads a suppressions file: <c>{"suppressions":[{"fingerprint":...|"ruleId":...,"path":...,"reason":...,
    /// "expires":"2027-03-31","approvedBy":...}]}</c>. Unknown fields, a missing reason or expiry are errors.
    /// </summary>
    public static IReadOnlyList<Suppression> ReadSuppressions(string json)
    {
        SuppressionFile? file;
        try
        {
            file = JsonSerializer.Deserialize<SuppressionFile>(json, FileOptions);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the suppressions file is not valid: {ex.Message}", ex);
        }

        var suppressions = file?.Suppressions ?? throw new FormatException("the suppressions file has no \"suppressions\" array");
        var policy = new AuditPolicy { Suppressions = suppressions };
        policy.Validate();
        return suppressions;
    }

    private static readonly JsonSerializerOptions FileOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
    };

    private sealed record SuppressionFile(IReadOnlyList<Suppression> Suppressions);
}
