namespace OpenKbs.Sandbox.Aws.Moto;

/// <summary>No <c>moto_server</c> executable could be found; the message says how to install one.</summary>
public sealed class MotoNotFoundException : Exception
{
    /// <summary>The install hint included in every message.</summary>
    public const string InstallHint =
        "Install it with: pip install \"moto[server]\" (Python 3.9+; moto 5.x), make sure `moto_server` is on PATH, "
        + "or set OPENKBS_MOTO_SERVER to its full path.";

    public MotoNotFoundException()
        : this("moto_server")
    {
    }

    public MotoNotFoundException(string executable)
        : base($"The AWS emulator '{executable}' was not found. {InstallHint}")
    {
        Executable = executable;
    }

    public MotoNotFoundException(string executable, Exception innerException)
        : base($"The AWS emulator '{executable}' could not be started. {InstallHint}", innerException)
    {
        Executable = executable;
    }

    /// <summary>The executable that was looked for.</summary>
    public string Executable { get; } = "moto_server";
}
