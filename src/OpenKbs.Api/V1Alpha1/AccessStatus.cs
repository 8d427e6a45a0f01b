using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>The observed client access: where clients get tokens and public keys, and which KMS key signs (no secret).</summary>
public sealed class AccessStatus
{
    /// <summary>Where clients exchange an API key for a token: <c>{endpoint}/auth/token</c> through the CDN (absent without one).</summary>
    [MaxLength(600)]
    public string? TokenUrl { get; set; }

    /// <summary>The public keys that verify the tokens: <c>{endpoint}/auth/jwks.json</c> through the CDN (absent without one).</summary>
    [MaxLength(600)]
    public string? JwksUrl { get; set; }

    /// <summary>The KMS key id that signs new tokens (the <c>kid</c> of their header).</summary>
    [MaxLength(64)]
    public string? SigningKeyId { get; set; }

    /// <summary>When the current signing key became the signer (its creation for the first key); the next rotation is due
    /// <c>spec.access.signingKeyRotationDays</c> later.</summary>
    public DateTime? SigningKeyRotatedAt { get; set; }

    /// <summary>The KMS key id that signed before the last rotation: still in the JWKS (and enabled) until
    /// <see cref="PreviousSigningKeyRetiresAt"/>, then scheduled for deletion; absent outside a rotation.</summary>
    [MaxLength(64)]
    public string? PreviousSigningKeyId { get; set; }

    /// <summary>When the previous key leaves the JWKS: the access function was seen signing with the current key, plus the longest
    /// token lifetime (900 s) and a margin; absent until the function runs with the current key.</summary>
    public DateTime? PreviousSigningKeyRetiresAt { get; set; }

    /// <summary>The access function's name in Lambda.</summary>
    [MaxLength(64)]
    public string? FunctionName { get; set; }

    /// <summary>The access function's URL (IAM auth: only the project's CloudFront distribution, through origin access
    /// control, can call it).</summary>
    [MaxLength(256)]
    public string? FunctionUrl { get; set; }

    /// <summary>The distribution the access function's resource policy grants <c>lambda:InvokeFunctionUrl</c> to (the SourceArn of
    /// statement <c>openkbs-cloudfront</c>, once granted): a statement missing later for the same distribution was removed behind the
    /// operator's back (drift), one for a new distribution is a grant.</summary>
    [MaxLength(256)]
    public string? CloudFrontPermissionSourceArn { get; set; }

    /// <summary>The version ARN of the <c>@openkbs/auth</c> layer published for the project.</summary>
    [MaxLength(256)]
    public string? LayerVersionArn { get; set; }

    /// <summary>The account's AWS IoT Core data endpoint (host) MQTT clients connect to, when MQTT is enabled.</summary>
    [MaxLength(256)]
    public string? MqttEndpoint { get; set; }
}
