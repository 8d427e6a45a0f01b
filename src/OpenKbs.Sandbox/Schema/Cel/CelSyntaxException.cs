namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>A CEL expression that does not parse.</summary>
internal sealed class CelSyntaxException : Exception
{
    public CelSyntaxException()
    {
    }

    public CelSyntaxException(string message)
        : base(message)
    {
    }

    public CelSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
