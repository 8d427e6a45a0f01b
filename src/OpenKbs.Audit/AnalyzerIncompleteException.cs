using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit;

/// <summary>
/// An analyzer could not do all of its work (e.g. no advisory source was reachable). It hands back what it did find;
/// the engine records the analyzer as incomplete, and the verdict fails closed unless the policy allows incomplete runs.
/// </summary>
public sealed class AnalyzerIncompleteException : Exception
{
    public AnalyzerIncompleteException(string message, IReadOnlyList<Finding> partialFindings, Exception? innerException = null)
        : base(message, innerException) => PartialFindings = partialFindings;

    public AnalyzerIncompleteException()
        : this("the analyzer did not complete", [])
    {
    }

    public AnalyzerIncompleteException(string message)
        : this(message, [])
    {
    }

    public AnalyzerIncompleteException(string message, Exception innerException)
        : this(message, [], innerException)
    {
    }

    public IReadOnlyList<Finding> PartialFindings { get; }
}
