using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OpenKbs.Benchmarks.AuditTrail;

/// <summary>A PostgreSQL cluster in a temporary directory, started and stopped with the repository's hack/audit-store.sh.</summary>
internal sealed class LocalStore : IAsyncDisposable
{
    private readonly string _script;
    private readonly string _directory;
    private readonly int _port;

    private LocalStore(string script, string directory, int port, string connectionString, string migrationConnectionString)
    {
        _script = script;
        _directory = directory;
        _port = port;
        ConnectionString = connectionString;
        MigrationConnectionString = migrationConnectionString;
    }

    public string ConnectionString { get; }

    public string MigrationConnectionString { get; }

    public static async Task<LocalStore> StartAsync(CancellationToken cancellationToken)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "hack", "audit-store.sh")))
        {
            root = root.Parent;
        }

        var script = root is null ? throw new InvalidOperationException("hack/audit-store.sh not found above " + AppContext.BaseDirectory) : Path.Combine(root.FullName, "hack", "audit-store.sh");
        var directory = Directory.CreateTempSubdirectory("openkbs-audit-bench-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101); // the postgres user (when run as root) must reach it
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var output = await RunAsync(script, "start", Path.Combine(directory, "pg"), port, cancellationToken);
        string Setting(string name) => output.Split('\n').Single(l => l.Contains(name + "=", StringComparison.Ordinal)).Split('=', 2)[1].Trim().Trim('\'');
        return new LocalStore(script, directory, port, Setting("OPENKBS_AuditStore__ConnectionString"), Setting("OPENKBS_AuditStore__MigrationConnectionString"));
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync(_script, "stop", Path.Combine(_directory, "pg"), _port, CancellationToken.None);
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<string> RunAsync(string script, string action, string directory, int port, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(action);
        start.ArgumentList.Add(directory);
        start.Environment["OPENKBS_AUDIT_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"audit-store.sh {action} exited with {process.ExitCode}: {error}");
    }
}
