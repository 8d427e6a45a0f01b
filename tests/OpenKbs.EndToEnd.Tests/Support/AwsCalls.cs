namespace OpenKbs.EndToEnd.Tests.Support;

/// <summary>Reads and writes among the proxy's <c>service:Operation</c> counters.</summary>
internal static class AwsCalls
{
    /// <summary>Reads are Get*, List*, Describe*, Head* (and Decrypt, which changes nothing); AssumeRole only opens a session.
    /// Everything else counts as a write, GenerateDataKey included: a drift check must never re-encrypt.</summary>
    public static bool IsRead(string serviceOperation)
    {
        var operation = serviceOperation[(serviceOperation.IndexOf(':', StringComparison.Ordinal) + 1)..];
        return operation.StartsWith("Get", StringComparison.Ordinal) || operation.StartsWith("List", StringComparison.Ordinal)
            || operation.StartsWith("Describe", StringComparison.Ordinal) || operation.StartsWith("Head", StringComparison.Ordinal)
            || operation is "Decrypt" or "AssumeRole" or "GetCallerIdentity";
    }

    /// <summary>Write calls so far.</summary>
    public static long Writes(IReadOnlyDictionary<string, long> requestsByOperation) =>
        requestsByOperation.Where(c => !IsRead(c.Key)).Sum(c => c.Value);
}
