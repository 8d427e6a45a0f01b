namespace OpenKbs.Audit.Intake;

/// <summary>
/// The intake refused an artifact for one <see cref="ArtifactRejection"/>. <see cref="EntryPath"/> is the archive entry
/// at fault when there is one (as written in the archive, control characters escaped). The message is meant for a status
/// condition or a command's stderr and never contains file contents.
/// </summary>
public sealed class ArtifactRejectedException : Exception
{
    public ArtifactRejectedException(ArtifactRejection reason, string message, string? entryPath = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        EntryPath = entryPath;
    }

    public ArtifactRejectedException()
        : this(ArtifactRejection.Corrupt, "The artifact was refused.")
    {
    }

    public ArtifactRejectedException(string message)
        : this(ArtifactRejection.Corrupt, message)
    {
    }

    public ArtifactRejectedException(string message, Exception innerException)
        : this(ArtifactRejection.Corrupt, message, null, innerException)
    {
    }

    public ArtifactRejection Reason { get; }

    public string? EntryPath { get; }
}
