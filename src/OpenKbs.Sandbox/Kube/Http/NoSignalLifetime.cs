using Microsoft.Extensions.Hosting;

namespace OpenKbs.Sandbox.Kube.Http;

/// <summary>
/// A host lifetime that leaves process signals alone: the embedded API server is stopped by its owner
/// (DisposeAsync), never by SIGINT/SIGTERM handling of its own (ConsoleLifetime would hold the process open).
/// </summary>
internal sealed class NoSignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
