namespace OpenKbs.Controllers.Tests.Support;

/// <summary>
/// A caller that hangs up in the middle of CreateAccount, as a SIGKILLed operator does behind the chaos proxy: put
/// <see cref="Above"/> outside the chaos handler and <see cref="Below"/> inside it; the realism layer's own email check
/// (ListAccounts) of the next CreateAccount is then cancelled, before moto has seen the request.
/// </summary>
internal sealed class CallerHangUp
{
    private int _creating;

    public CallerHangUp()
    {
        Above = new AboveHandler(this);
        Below = new BelowHandler(this);
    }

    public DelegatingHandler Above { get; }

    public DelegatingHandler Below { get; }

    /// <summary>True once a CreateAccount was cut off.</summary>
    public bool HungUp { get; private set; }

    private static bool Is(HttpRequestMessage request, string operation) =>
        request.Headers.TryGetValues("X-Amz-Target", out var targets) && targets.Any(t => t.EndsWith("." + operation, StringComparison.Ordinal));

    private sealed class AboveHandler(CallerHangUp owner) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var creating = !owner.HungUp && Is(request, "CreateAccount");
            if (creating)
            {
                Interlocked.Exchange(ref owner._creating, 1);
            }

            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                if (creating)
                {
                    Interlocked.Exchange(ref owner._creating, 0);
                }
            }
        }
    }

    private sealed class BelowHandler(CallerHangUp owner) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Volatile.Read(ref owner._creating) == 1 && Is(request, "ListAccounts"))
            {
                owner.HungUp = true;
                Interlocked.Exchange(ref owner._creating, 0);
                throw new TaskCanceledException("the caller hung up during CreateAccount");
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
