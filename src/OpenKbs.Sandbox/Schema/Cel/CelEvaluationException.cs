namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>Raised by library functions; the evaluator turns it into a <see cref="CelError"/> value.</summary>
internal sealed class CelEvaluationException : Exception
{
    public CelEvaluationException()
    {
    }

    public CelEvaluationException(string message)
        : base(message)
    {
    }

    public CelEvaluationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
