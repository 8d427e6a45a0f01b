namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>A runtime error of a CEL rule, with the message cel-go would report ("no such key: x", ...).</summary>
internal sealed class CelEvaluationException : Exception
{
    [ThreadStatic]
    private static string? _lastError;

    public CelEvaluationException()
    {
    }

    public CelEvaluationException(string message)
        : base(message)
    {
        _lastError = message;
    }

    public CelEvaluationException(string message, Exception innerException)
        : base(message, innerException)
    {
        _lastError = message;
    }

    /// <summary>
    /// The last error raised on this thread. The Cel package swallows exceptions inside some macros (all() yields no
    /// value), so the evaluator reads this to explain a missing result.
    /// </summary>
    public static string? TakeLastError()
    {
        var error = _lastError;
        _lastError = null;
        return error;
    }

    public static void Reset() => _lastError = null;
}
