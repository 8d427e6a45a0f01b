namespace OpenKbs.Controllers.Projects.Components.Access;

/// <summary>What the access step hands to later steps: the Function URL the CDN routes <c>/auth/*</c> to (null while it has
/// none), the function's ARN, and whether the function runs the current code and keys (the API-key hand-over waits for it);
/// for the client functions, the current <c>@openkbs/auth</c> layer version ARN (null until one is published) and the JWKS
/// URL the helper fetches (null without a CDN endpoint).</summary>
internal sealed record AccessFacts(string? FunctionUrl, string? FunctionArn, bool Converged, string? LayerVersionArn = null, string? JwksUrl = null);
