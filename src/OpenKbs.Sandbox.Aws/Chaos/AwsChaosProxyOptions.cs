using Microsoft.Extensions.Logging;

namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>Where the chaos proxy listens and what it fronts.</summary>
public sealed record AwsChaosProxyOptions
{
    /// <summary>The AWS endpoint behind the proxy (moto), e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public required Uri Backend { get; init; }

    /// <summary>Faults and realism; ignored when <see cref="Engine"/> is given.</summary>
    public AwsChaosSpec Spec { get; init; } = AwsChaosSpec.None;

    /// <summary>An engine to share with in-process handlers; null creates one from <see cref="Spec"/>.</summary>
    public AwsChaosEngine? Engine { get; init; }

    /// <summary>Where mail AWS sends to humans is written (<see cref="SandboxMailbox"/>) when the proxy creates the engine; null keeps it in memory.</summary>
    public string? MailDirectory { get; init; }

    /// <summary>Address to bind.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port to bind; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Clock of the realism transitions when the proxy creates the engine.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>
    /// A handler put in front of the chaos handler: it sees every request and the answer the faults and realism gave
    /// (tests record with it); null for none. The proxy owns it from then on.
    /// </summary>
    public DelegatingHandler? Outer { get; init; }

    /// <summary>Where the proxy logs (Kestrel and forwarding errors); null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
