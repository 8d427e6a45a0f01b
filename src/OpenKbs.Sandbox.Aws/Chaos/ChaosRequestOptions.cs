namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>Per-request options the proxy passes down to <see cref="AwsChaosHandler"/>.</summary>
internal static class ChaosRequestOptions
{
    /// <summary>Aborts the client's connection (set by the proxy; absent when the handler runs inside a client).</summary>
    public static readonly HttpRequestOptionsKey<Action> AbortConnection = new("openkbs.aws-chaos.abort-connection");
}
