namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>What to do to one call.</summary>
/// <param name="Kind">The fault, or null for none.</param>
/// <param name="AfterBackend">Inject after moto processed the call.</param>
/// <param name="Latency">Delay before anything else.</param>
/// <param name="Scripted">The fault was scripted, not drawn.</param>
internal readonly record struct FaultDecision(AwsFaultKind? Kind, bool AfterBackend, TimeSpan Latency, bool Scripted);
