namespace OpenKbs.Controllers.Projects.Components.Access;

/// <summary>What the access step hands to later steps: the Function URL the CDN routes <c>/auth/*</c> to (null while it has
/// none), the function's ARN, and whether the function runs the current code and keys (the API-key hand-over waits for it).</summary>
internal sealed record AccessFacts(string? FunctionUrl, string? FunctionArn, bool Converged);
