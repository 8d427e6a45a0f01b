namespace OpenKbs.Sandbox.Tests.AwsChaos;

/// <summary>
/// Below the chaos handler: when armed, the next Organizations ListAccounts call (the realism layer's email check inside
/// CreateAccount) is cancelled as if the caller had hung up (a SIGKILLed client makes the proxy cancel its calls).
/// </summary>
internal sealed class HangUpOnListAccounts : DelegatingHandler
{
    public bool Armed { get; set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Armed
            && request.Headers.TryGetValues("X-Amz-Target", out var targets)
            && targets.Any(t => t.EndsWith(".ListAccounts", StringComparison.Ordinal)))
        {
            Armed = false;
            throw new TaskCanceledException("the caller hung up");
        }

        return base.SendAsync(request, cancellationToken);
    }
}
