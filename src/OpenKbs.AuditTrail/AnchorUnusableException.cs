namespace OpenKbs.AuditTrail;

/// <summary>
/// The anchor bucket cannot hold checkpoints (<see cref="IChainAnchorSink.ProblemAsync"/>: missing, without Object Lock, outside the
/// EU): a verification against it would prove nothing, so <c>openkbs audit verify</c> and <c>incident verify</c> stop with the message.
/// </summary>
public sealed class AnchorUnusableException : Exception
{
    public AnchorUnusableException()
        : this("The anchor bucket cannot hold checkpoints.")
    {
    }

    public AnchorUnusableException(string message)
        : base(message)
    {
    }

    public AnchorUnusableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
