using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OpenKbs.Testing.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster for tests: <c>initdb</c> into a temporary directory (trust authentication, loopback only,
/// fsync off), <c>pg_ctl start</c> on a free port of 127.0.0.1. PostgreSQL refuses to run as root, so when the tests run as
/// root the cluster belongs to the <c>postgres</c> user and every binary runs through <c>runuser -u postgres</c>.
/// <see cref="StopAsync"/> and <see cref="StartAsync"/> take it down and bring it back (same data) to test an unreachable store.
/// Binaries: <c>OPENKBS_PG_BIN</c>, else /usr/lib/postgresql/15/bin.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>The superuser initdb creates.</summary>
    public const string Superuser = "postgres";

    private readonly string _bin;
    private readonly string _directory;
    private readonly bool _asPostgresUser;

    private PostgresServer(string bin, string directory, int port, bool asPostgresUser)
    {
        _bin = bin;
        _directory = directory;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    public string DataDirectory => Path.Combine(_directory, "data");

    public bool IsRunning { get; private set; }

    /// <summary>A connection string for <paramref name="user"/> on <paramref name="database"/> (trust authentication: no password).</summary>
    public string ConnectionString(string database = "postgres", string user = Superuser) =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username={user};Database={database};Pooling=true;Timeout=3;Command Timeout=10");

    /// <summary>Creates and starts a new cluster.</summary>
    public static async Task<PostgresServer> CreateAsync(CancellationToken cancellationToken = default)
    {
        var bin = Environment.GetEnvironmentVariable("OPENKBS_PG_BIN") is { Length: > 0 } configured ? configured : "/usr/lib/postgresql/15/bin";
        if (!File.Exists(Path.Combine(bin, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL binaries not found in {bin} (install postgresql-15 or set OPENKBS_PG_BIN)");
        }

        var directory = Directory.CreateTempSubdirectory("openkbs-pg-").FullName;
        var asPostgres = Environment.UserName == "root";
        if (asPostgres)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", directory], cancellationToken);
        }

        var server = new PostgresServer(bin, directory, FreePort(), asPostgres);
        try
        {
            await server.PgAsync("initdb", ["-D", server.DataDirectory, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"], cancellationToken);
            await server.StartAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        // A test run that ends without disposing (a crash, a failed initialisation) must not leave the server behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }

    /// <summary>
    /// Starts the cluster (again) and waits until it accepts connections. 200 connections: a suite's test classes share one
    /// server and each store under test keeps its own pool (50 ran out once the incident tests opened eight stores at once).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var settings = string.Create(
            CultureInfo.InvariantCulture,
            $"-c listen_addresses=127.0.0.1 -p {Port} -k {_directory} -c fsync=off -c max_connections=200");
        await PgAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_directory, "postgres.log"), "-w", "-t", "60", "-o", settings, "start"], cancellationToken);
        IsRunning = true;
    }

    /// <summary>Stops the cluster at once (immediate mode: like a crash of the database server).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            await PgAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], cancellationToken);
            IsRunning = false;
        }
    }

    /// <summary>Runs SQL as the superuser through <c>psql</c> (ON_ERROR_STOP) and returns its output.</summary>
    public Task<string> PsqlAsync(string sql, string database = "postgres", CancellationToken cancellationToken = default) =>
        PgAsync("psql", ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", Superuser, "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql], cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (!Directory.Exists(_directory))
        {
            return;
        }

        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Already gone; the directory goes anyway.
        }

        Directory.Delete(_directory, recursive: true);
    }

    private Task<string> PgAsync(string tool, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_bin, tool);
        return _asPostgresUser ? RunAsync("runuser", ["-u", "postgres", "--", path, .. args], cancellationToken) : RunAsync(path, args, cancellationToken);
    }

    private static async Task<string> RunAsync(string file, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args.Take(3))}… exited with {process.ExitCode}: {await error}{await output}");
        }

        return await output;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
