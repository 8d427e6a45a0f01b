namespace OpenKbs.Runtime.Controllers;

/// <summary>A controller as the runtime drives it: one run per leadership term.</summary>
internal interface IManagedController
{
    string Name { get; }

    /// <summary>
    /// Runs one term: enqueues every cached object, then works the queue with bounded concurrency.
    /// <paramref name="intake"/> stops taking new keys; <paramref name="abort"/> cancels reconciles in flight.
    /// Returns when every worker has stopped; the queue (and every delayed key) is dropped.
    /// </summary>
    Task RunAsync(CancellationToken intake, CancellationToken abort);
}
