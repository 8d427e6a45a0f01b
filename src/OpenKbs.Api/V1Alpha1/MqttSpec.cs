namespace OpenKbs.Api.V1Alpha1;

/// <summary>MQTT for the project's clients (<c>POST /auth/mqtt</c> of the access function).</summary>
public sealed record MqttSpec
{
    /// <summary>Offer presigned MQTT WebSocket URLs to tokens with the <c>mqtt:connect</c> scope.</summary>
    public bool Enabled { get; init; }
}
