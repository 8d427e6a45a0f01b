namespace OpenKbs.Controllers.Shared;

/// <summary>A status checkpoint was refused because the object changed (409) or disappeared (404) since it was read.</summary>
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
