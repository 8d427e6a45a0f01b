namespace OpenKbs.Runtime;

/// <summary>A write with a resourceVersion precondition (a status checkpoint, a Secret or ConfigMap) was refused because the
/// object changed (409) or disappeared (404) since it was read: nothing was written.</summary>
public sealed class StatusConflictException : Exception
{
    public StatusConflictException()
        : this("the object changed since it was read")
    {
    }

    public StatusConflictException(string message)
        : base(message)
    {
    }

    public StatusConflictException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when the object no longer exists.</summary>
    public bool Gone { get; init; }
}
