namespace OpenKbs.Controllers.Projects.Components.Functions;

/// <summary>What the functions step hands to later steps: the ARN of each function that exists, by spec name (schedules invoke
/// them), and whether every function runs the current artifact and configuration (the API-key hand-over waits for it).</summary>
internal sealed record FunctionFacts(IReadOnlyDictionary<string, string> Arns, bool Converged);
