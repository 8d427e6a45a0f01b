namespace OpenKbs.Controllers.Projects.Components.Access;

/// <summary>
/// The access function's surroundings as AWS reports them (the manager's reads, nothing derived): the signing key's tags and
/// key policy, the code object in the project bucket, the Function URL, the function's resource policy and the newest layer version. Each is
/// null (or empty) when AWS has none. The function itself is observed by the functions component (<c>FunctionObservation</c>),
/// the roles by <c>RoleManager</c>.
/// </summary>
internal sealed record AccessObservation(
    IReadOnlyList<KeyValuePair<string, string>> SigningKeyTags,
    StoredCode? Code,
    FunctionUrlObservation? Url,
    string? ResourcePolicy,
    LayerObservation? NewestLayer,
    string? SigningKeyPolicy = null);

/// <summary>The access function's zip in the project bucket (HeadObject): there, in this version (null when unversioned).</summary>
internal sealed record StoredCode(string? VersionId);

/// <summary>The Function URL as Lambda reports it.</summary>
internal sealed record FunctionUrlObservation(string? FunctionUrl, string? AuthType);

/// <summary>The newest version of the project's <c>@openkbs/auth</c> layer (its description names the content SHA-256).</summary>
internal sealed record LayerObservation(string? LayerVersionArn, long? Version, string? Description);

/// <summary>
/// What the access function's surroundings must be, rendered by <see cref="AccessRendering.Desired"/>: the code object (content
/// addressed), the signing key's owner tags and key policy (<see cref="AccessRendering.SigningKeyPolicy"/>), a Function URL with <see cref="AuthType"/>, the CloudFront permission (null without a
/// distribution) and the layer version holding the current helper.
/// </summary>
internal sealed record AccessDesired(
    string FunctionName,
    string Bucket,
    string CodeKey,
    IReadOnlyDictionary<string, string> OwnerTags,
    string AuthType,
    FunctionPermission? CloudFrontPermission,
    string LayerName,
    string LayerDescription,
    string? SigningKeyPolicy = null);

/// <summary>One statement of a function's resource policy as AddPermission writes it.</summary>
internal sealed record FunctionPermission(string StatementId, string Action, string Principal, string SourceArn, string FunctionUrlAuthType);
