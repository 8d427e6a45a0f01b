using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>An API key in force. The key itself appears nowhere but in its Secret, handed over once.</summary>
public sealed class ApiKeyStatus
{
    /// <summary>The key's name in the spec.</summary>
    [MaxLength(32)]
    public string? Name { get; set; }

    /// <summary>A short fingerprint to recognise the key by (the first characters of its SHA-256).</summary>
    [MaxLength(16)]
    public string? Fingerprint { get; set; }

    /// <summary>The SHA-256 of the key, 64 lowercase hex characters.</summary>
    [Pattern(Patterns.Sha256)]
    public string? Sha256 { get; set; }

    /// <summary>The Secret in this namespace that received the plaintext key (it keeps only the hash once the plaintext is deleted).</summary>
    public SecretKeyReference? SecretRef { get; set; }

    /// <summary>When the key was issued.</summary>
    public DateTime? CreatedAt { get; set; }

    /// <summary>
    /// When the operator deleted the plaintext key from the Secret after the client marked it collected (annotation
    /// <c>openkbs.com/keys-collected</c>); null while the Secret still holds it. The next deployment hands over a new key.
    /// </summary>
    public DateTime? PlaintextDeletedAt { get; set; }
}
