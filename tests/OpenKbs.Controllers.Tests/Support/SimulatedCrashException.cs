namespace OpenKbs.Controllers.Tests.Support;

/// <summary>
/// Stands for the process dying at that instant: the pass ends and only what was persisted survives. An
/// OperationCanceledException, like the cancellation a real shutdown delivers, so no step mistakes it for an AWS error.
/// </summary>
internal sealed class SimulatedCrashException(string message) : OperationCanceledException(message);
