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

    /// <summary>The access function's name in Lambda.</summary>
    [MaxLength(64)]
    public string? FunctionName { get; set; }

    /// <summary>The access function's URL (IAM auth: only the project's CloudFront distribution, through origin access
    /// control, can call it).</summary>
    [MaxLength(256)]
    public string? FunctionUrl { get; set; }

    /// <summary>The version ARN of the <c>@openkbs/auth</c> layer published for the project.</summary>
    [MaxLength(256)]
    public string? LayerVersionArn { get; set; }

    /// <summary>The account's AWS IoT Core data endpoint (host) MQTT clients connect to, when MQTT is enabled.</summary>
    [MaxLength(256)]
    public string? MqttEndpoint { get; set; }
}
