namespace OpenKbs.Audit.Engine;

/// <summary>The run's time limit passed before the artifact was even read.</summary>
public sealed class AuditTimeoutException : Exception
{
    public AuditTimeoutException()
    {
    }

    public AuditTimeoutException(string message)
        : base(message)
    {
    }

    public AuditTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
