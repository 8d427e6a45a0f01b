using Microsoft.Extensions.Hosting;

namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>
/// A host lifetime that leaves Ctrl+C and SIGTERM alone: the proxy is a component of whatever process
/// embeds it (a test, <c>openkbs sandbox</c>), which decides when to stop it.
/// </summary>
internal sealed class PassiveHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
