namespace OpenKbs.Aws.Crypto;

/// <summary>Encryption contexts that bind an envelope to its owner and purpose (never secret: KMS logs them in CloudTrail).</summary>
public static class EnvelopeContext
{
    /// <summary>
    /// <c>openkbs.com/owner</c> = namespace/kind/name, <c>openkbs.com/uid</c> = uid, <c>openkbs.com/purpose</c> = purpose: an envelope
    /// sealed for one owner or purpose cannot be opened as another's (the same name recreated gets a new uid).
    /// </summary>
    public static IReadOnlyDictionary<string, string> ForOwner(string ownerNamespace, string kind, string name, string uid, string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerNamespace);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(uid);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["openkbs.com/owner"] = $"{ownerNamespace}/{kind}/{name}",
            ["openkbs.com/uid"] = uid,
            ["openkbs.com/purpose"] = purpose,
        };
    }
}
