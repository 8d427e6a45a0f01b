using System.Text.Json;
using System.Text.Json.Nodes;
using OpenKbs.Controllers.Shared;

namespace OpenKbs.Controllers.Projects.Components.Access;

/// <summary>
/// The paths in which the access function's surroundings differ from <see cref="AccessDesired"/> (ACK-style delta; each path
/// picks the calls <see cref="AccessManager"/> makes). Computed by <see cref="Between"/>, a pure function of what is wanted and
/// what was observed. <see cref="PreparationPaths"/> are written before the function is converged (it needs its code and a
/// tagged key); <see cref="EndpointPaths"/> only once it is (Lambda refuses URL changes while the function is updating).
/// </summary>
internal sealed record AccessDelta : PathDelta
{
    /// <summary>An owner tag of the signing key is missing or different → TagResource.</summary>
    public const string SigningKeyTags = "SigningKeyTags";

    /// <summary>The signing key's policy says something else than <see cref="AccessRendering.SigningKeyPolicy"/> → PutKeyPolicy.</summary>
    public const string SigningKeyPolicy = "SigningKeyPolicy";

    /// <summary>The content-addressed zip is not in the project bucket → PutObject.</summary>
    public const string Code = "Code";

    /// <summary>The function has no URL → CreateFunctionUrlConfig.</summary>
    public const string Url = "Url";

    /// <summary>The URL's AuthType is not AWS_IAM → UpdateFunctionUrlConfig.</summary>
    public const string UrlAuthType = "UrlAuthType";

    /// <summary>The resource policy lacks the statement letting exactly the distribution call the URL → (RemovePermission,) AddPermission.</summary>
    public const string CloudFrontPermission = "CloudFrontPermission";

    /// <summary>The newest layer version does not hold the current helper → PublishLayerVersion.</summary>
    public const string Layer = "Layer";

    public static readonly IReadOnlyList<string> PreparationPaths = [SigningKeyTags, SigningKeyPolicy, Code];

    public static readonly IReadOnlyList<string> EndpointPaths = [Url, UrlAuthType, CloudFrontPermission, Layer];

    /// <summary>The signing key's owner tags to write when <see cref="SigningKeyTags"/> differs.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> MissingKeyTags { get; private init; } = [];

    /// <summary>A statement under the operator's statement id exists with other content: it is removed before it is added again.</summary>
    public bool ReplacesPermission { get; private init; }

    /// <summary>The newest layer version's ARN when it is not the operator's helper of any build (someone else published it), else null.</summary>
    public string? ForeignNewestLayer { get; private init; }

    /// <summary>The AuthType found on the URL when <see cref="UrlAuthType"/> differs (for the event).</summary>
    public string? ObservedAuthType { get; private init; }

    /// <summary>The paths of <paramref name="group"/> this delta names, in write order.</summary>
    public IReadOnlyList<string> In(IReadOnlyList<string> group) => [.. Paths.Where(group.Contains)];

    /// <summary>The paths where <paramref name="observed"/> is not <paramref name="desired"/>, in the order the manager writes them.</summary>
    public static AccessDelta Between(AccessDesired desired, AccessObservation observed)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(observed);
        var permission = desired.CloudFrontPermission;
        var statement = permission is null ? null : Statement(observed.ResourcePolicy, permission.StatementId);
        var delta = new AccessDelta
        {
            MissingKeyTags = OwnershipTags.Missing(desired.OwnerTags, observed.SigningKeyTags),
            ReplacesPermission = statement is not null && !Grants(statement, permission!),
            ObservedAuthType = observed.Url?.AuthType,
            ForeignNewestLayer = observed.NewestLayer is { } newest && newest.Description?.StartsWith(AccessRendering.LayerDescription(string.Empty), StringComparison.Ordinal) != true
                ? newest.LayerVersionArn ?? $"version {newest.Version}"
                : null,
        };
        void AddWhen(bool differs, string path)
        {
            if (differs)
            {
                delta.Paths.Add(path);
            }
        }

        AddWhen(delta.MissingKeyTags.Count > 0, SigningKeyTags);
        AddWhen(desired.SigningKeyPolicy is { } keyPolicy && !PolicyDocuments.Equivalent(observed.SigningKeyPolicy, keyPolicy), SigningKeyPolicy);
        AddWhen(observed.Code is null, Code);
        AddWhen(observed.Url is null, Url);
        AddWhen(observed.Url is { } url && url.AuthType != desired.AuthType, UrlAuthType);
        AddWhen(permission is not null && (statement is null || delta.ReplacesPermission), CloudFrontPermission);
        AddWhen(observed.NewestLayer?.Description != desired.LayerDescription, Layer);
        return delta;
    }

    /// <summary>The statement of a resource policy with <paramref name="sid"/>, or null (no policy, unreadable, no such statement).</summary>
    private static JsonObject? Statement(string? policy, string sid)
    {
        if (string.IsNullOrEmpty(policy))
        {
            return null;
        }

        try
        {
            var statements = JsonNode.Parse(policy)?["Statement"];
            IEnumerable<JsonNode?> all = statements is JsonArray array ? array : [statements];
            return all.OfType<JsonObject>().FirstOrDefault(s => Text(s["Sid"]) == sid);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Allow, exactly the action, the service principal, and the source ARN as condition (as Lambda renders AddPermission).</summary>
    private static bool Grants(JsonObject statement, FunctionPermission permission)
    {
        var principal = statement["Principal"];
        var service = principal is JsonObject p ? Text(p["Service"]) : Text(principal);
        var sources = (statement["Condition"] as JsonObject)?
            .Select(c => c.Value as JsonObject)
            .OfType<JsonObject>()
            .SelectMany(c => c.Where(e => string.Equals(e.Key, "AWS:SourceArn", StringComparison.OrdinalIgnoreCase)))
            .Select(e => Text(e.Value))
            .ToList() ?? [];
        return Text(statement["Effect"]) == "Allow"
            && Text(statement["Action"]) == permission.Action
            && service == permission.Principal
            && sources.Count == 1 && sources[0] == permission.SourceArn;
    }

    /// <summary>A string value, or the only element of a one-element array of strings; null otherwise.</summary>
    private static string? Text(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray { Count: 1 } one => Text(one[0]),
        _ => null,
    };

    public override string ToString() => string.Join(", ", Paths);
}
