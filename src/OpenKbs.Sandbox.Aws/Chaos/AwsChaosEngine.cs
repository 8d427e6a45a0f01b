using OpenKbs.Sandbox.Aws.Chaos.Realism;

namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>
/// The state of one chaos setup: the spec, the seeded fault streams, scripted faults, the realism
/// state machines and the counters. Thread-safe. Share one engine between every handler that should
/// see the same faults and the same simulated AWS (e.g. the SDK S3 client and the thin clients).
/// </summary>
public sealed class AwsChaosEngine
{
    private readonly IRealismModule[] _modules;
    private readonly PrimaryEmailDirectory _emails = new();

    public AwsChaosEngine(AwsChaosSpec spec, TimeProvider? time = null, SandboxMailbox? mailbox = null)
    {
        Spec = spec;
        Time = time ?? TimeProvider.System;
        Mailbox = mailbox ?? new SandboxMailbox();
        Planner = new FaultPlanner(spec);
        var organizations = new OrganizationsRealism(spec, _emails);
        var modules = new List<IRealismModule>();
        if (spec.AccountApi)
        {
            modules.Add(new AccountPrimaryEmailApi(spec, _emails, Mailbox, organizations.IsHidden));

            // Before the Organizations module: it takes RemoveAccountFromOrganization and sts:AssumeRole first.
            modules.Add(new AccountRealism(spec, organizations));
        }

        if (spec.Realism || spec.AccountApi)
        {
            modules.Add(organizations);
        }

        if (spec.Realism)
        {
            modules.Add(new LambdaRealism(spec.RealismOptions));
            modules.Add(new CloudFrontRealism(spec.RealismOptions));
            modules.Add(new RdsRealism(spec.RealismOptions));
        }

        if (spec.S3TlsEndpoint)
        {
            modules.Add(new S3PolicyRealism());
        }

        modules.Add(new S3AclRealism());

        _modules = [.. modules];
    }

    /// <summary>Parses <paramref name="spec"/> (see <see cref="AwsChaosSpec.Parse"/>).</summary>
    public AwsChaosEngine(string spec, TimeProvider? time = null)
        : this(AwsChaosSpec.Parse(spec), time)
    {
    }

    /// <summary>The mail AWS sent to humans (the one-time codes of StartPrimaryEmailUpdate).</summary>
    public SandboxMailbox Mailbox { get; }

    /// <summary>What this engine does.</summary>
    public AwsChaosSpec Spec { get; }

    /// <summary>The clock of the time-based transitions (<c>…-delay</c> knobs).</summary>
    public TimeProvider Time { get; }

    internal FaultPlanner Planner { get; }

    internal ChaosCounters Counters { get; } = new();

    internal CallerAccountResolver Accounts { get; } = new();

    internal IReadOnlyList<IRealismModule> Modules => _modules;

    /// <summary>A snapshot of what happened so far.</summary>
    public AwsChaosStats Stats => Counters.Snapshot();

    /// <summary>
    /// Makes the next <paramref name="count"/> calls that match (null matches any) fail with
    /// <paramref name="kind"/>, before any random draw. Works whatever the rates of the spec are.
    /// </summary>
    /// <param name="kind">The fault to inject.</param>
    /// <param name="service">Signing name, e.g. <c>lambda</c>; null for any.</param>
    /// <param name="operation">Operation, e.g. <c>UpdateFunctionCode</c>; null for any.</param>
    /// <param name="count">How many calls get it.</param>
    /// <param name="afterBackend">Let moto process the call first (the effect happens, the answer is lost or replaced).</param>
    public void ScriptFault(AwsFaultKind kind, string? service = null, string? operation = null, int count = 1, bool afterBackend = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Planner.Script(kind, service, operation, count, afterBackend);
    }

    /// <summary>The pending StartPrimaryEmailUpdate of an account (its one-time password), if any.</summary>
    public PendingPrimaryEmailUpdate? PendingPrimaryEmailUpdate(string accountId) =>
        _modules.OfType<AccountPrimaryEmailApi>().Any() ? _emails.Pending(accountId) : null;

    /// <summary>What the client has set for the account to stand alone (see <see cref="StandaloneReadiness"/>); null when the Account API is off.</summary>
    public StandaloneReadiness? GetStandaloneReadiness(string accountId) => _modules.OfType<AccountRealism>().FirstOrDefault()?.Readiness(accountId);

    /// <summary>Sets what the client has done for the account to stand alone, as the client would in the console.</summary>
    /// <exception cref="InvalidOperationException">The Account API (<c>account-api</c>) is off.</exception>
    public void SetStandaloneReadiness(string accountId, StandaloneReadiness readiness)
    {
        ArgumentNullException.ThrowIfNull(readiness);
        var module = _modules.OfType<AccountRealism>().FirstOrDefault()
            ?? throw new InvalidOperationException("the Account API realism is off (account-api=off)");
        module.SetReadiness(accountId, readiness);
    }

    /// <summary>Forgets all realism state and scripted faults (done automatically when moto is reset through the engine).</summary>
    public void ResetState()
    {
        foreach (var module in _modules)
        {
            module.Reset();
        }

        _emails.Clear();
        Mailbox.Clear();
        Accounts.Clear();
        Planner.Clear();
    }

    /// <summary>Zeroes the counters.</summary>
    public void ResetStats() => Counters.Clear();

    /// <summary>A handler for an HttpClient pipeline: faults and realism between the client and <paramref name="inner"/> (moto).</summary>
    public AwsChaosHandler CreateHandler(HttpMessageHandler? inner = null) => new(this, inner ?? new SocketsHttpHandler { UseProxy = false });
}
