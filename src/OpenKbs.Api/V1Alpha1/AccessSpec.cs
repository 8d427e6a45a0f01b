using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>Client access (docs/access.md): the project's access function exchanges an API key for a short-lived RS256 token
/// (<c>POST /auth/token</c>), publishes the public keys (<c>GET /auth/jwks.json</c>) and, with MQTT, hands out presigned
/// WebSocket URLs (<c>POST /auth/mqtt</c>). The signing key is a per-project KMS RSA key: the private key never leaves KMS.</summary>
public sealed record AccessSpec
{
    /// <summary>Deploy the access function. When absent, access is on exactly when the project has API keys (a key is only useful
    /// with somewhere to exchange it); <c>false</c> turns it off (the signing key and the function are kept, the function URL
    /// is removed); <c>true</c> needs at least one API key.</summary>
    public bool? Enabled { get; init; }

    /// <summary>How long an issued token is valid, in seconds: 60 to 900 (15 minutes, the default and the cap).</summary>
    [Minimum(60)]
    [Maximum(900)]
    public int? TokenLifetimeSeconds { get; init; }

    /// <summary>After how many days the signing key is replaced by a new KMS key: 1 to 365, default 90. KMS does not rotate
    /// asymmetric keys, so a rotation is a new key that signs from then on; the previous public key stays published (and the key
    /// enabled) until every token it signed has expired, then the key is scheduled for deletion (30-day KMS waiting period).</summary>
    [Minimum(1)]
    [Maximum(365)]
    public int? SigningKeyRotationDays { get; init; }

    /// <summary>MQTT over a SigV4 WebSocket to the account's AWS IoT Core endpoint, with 900-second credentials of a
    /// per-project role that may only use the project's topic prefix.</summary>
    public MqttSpec? Mqtt { get; init; }
}
