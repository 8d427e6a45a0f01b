using System.Diagnostics;

namespace OpenKbs.Sandbox.Aws.Moto;

/// <summary>
/// A running <c>moto_server</c> started by <see cref="MotoLauncher"/>. Disposing it stops the process;
/// it is also stopped when this process exits (normally, or abruptly: the child watches its stdin pipe).
/// </summary>
public sealed class MotoServer : IAsyncDisposable, IDisposable
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    private readonly Process _process;
    private readonly MotoOutputLog _log;
    private readonly EventHandler _onProcessExit;
    private int _disposed;

    internal MotoServer(Process process, MotoOutputLog log, string host, int port)
    {
        _process = process;
        _log = log;
        Port = port;
        Endpoint = new Uri($"http://{host}:{port}");
        _onProcessExit = (_, _) => Stop();
        AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:40123</c> (no trailing slash).</summary>
    public Uri Endpoint { get; }

    /// <summary>The bound port.</summary>
    public int Port { get; }

    /// <summary>The process id of the wrapper that owns moto (killing its tree stops moto).</summary>
    public int ProcessId => _process.Id;

    /// <summary>True once the server process is gone.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The last lines moto printed (request log and errors), for diagnostics.</summary>
    public string RecentOutput => _log.Tail();

    /// <summary>Wipes all of moto's state (every account, every service): <c>POST /moto-api/reset</c>.</summary>
    public Task ResetAsync(CancellationToken cancellationToken = default) => ResetAsync(Endpoint, cancellationToken);

    /// <summary>Wipes all state of the moto server (or chaos proxy) at <paramref name="endpoint"/>.</summary>
    public static async Task ResetAsync(Uri endpoint, CancellationToken cancellationToken = default)
    {
        using var response = await Http.PostAsync(new Uri(endpoint, MotoDefaults.ResetPath), content: null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose()
    {
        Stop();
        GC.SuppressFinalize(this);
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed already; the kernel reaps it.
        }

        GC.SuppressFinalize(this);
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        try
        {
            _process.StandardInput.Close();
        }
        catch (Exception)
        {
            // The wrapper may be gone already.
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception)
        {
            // Raced with its exit.
        }

        _log.Dispose();
    }
}
