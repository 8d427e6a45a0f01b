namespace OpenKbs.Sandbox.Aws.Moto;

/// <summary>How to start a <c>moto_server</c> process.</summary>
public sealed record MotoServerOptions
{
    /// <summary>Address to bind. Always loopback unless you know why not.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port to bind; 0 picks a free one (retried if another process grabs it first).</summary>
    public int Port { get; init; }

    /// <summary>
    /// The <c>moto_server</c> executable (a path or a name looked up on PATH). Null: the
    /// <c>OPENKBS_MOTO_SERVER</c> environment variable, else <c>moto_server</c> on PATH.
    /// </summary>
    public string? Executable { get; init; }

    /// <summary>How long to wait for the server to answer HTTP before giving up.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>When set, moto's own output (one line per request) is appended to this file.</summary>
    public string? LogFile { get; init; }

    /// <summary>Extra environment variables for the moto process (e.g. <c>MOTO_ACCOUNT_ID</c>).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
