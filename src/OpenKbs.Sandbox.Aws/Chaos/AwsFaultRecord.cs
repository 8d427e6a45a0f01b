namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>One injected fault, in the order they happened.</summary>
/// <param name="Sequence">Position of the call among all calls the engine saw (1-based).</param>
/// <param name="Service">Signing name of the call.</param>
/// <param name="Operation">Operation name of the call.</param>
/// <param name="Kind">What was injected.</param>
/// <param name="AfterBackend">True when moto processed the call before the answer was replaced or lost.</param>
/// <param name="Scripted">True when the fault came from <see cref="AwsChaosEngine.ScriptFault"/> rather than a random draw.</param>
public sealed record AwsFaultRecord(long Sequence, string Service, string Operation, AwsFaultKind Kind, bool AfterBackend, bool Scripted);
