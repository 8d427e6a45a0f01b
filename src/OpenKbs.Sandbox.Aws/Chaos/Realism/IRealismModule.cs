namespace OpenKbs.Sandbox.Aws.Chaos.Realism;

/// <summary>One service's realism: it sees the calls it handles, forwards them to moto itself, and rewrites or replaces the answers.</summary>
internal interface IRealismModule
{
    bool Handles(AwsRequestInfo request);

    Task<HttpResponseMessage> HandleAsync(RealismContext context, CancellationToken cancellationToken);

    /// <summary>Forget all state (moto was reset).</summary>
    void Reset();
}
