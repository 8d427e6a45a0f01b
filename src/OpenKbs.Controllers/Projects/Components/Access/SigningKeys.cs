using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Runtime;
using KmsTag = OpenKbs.Aws.Kms.Model.Tag;

namespace OpenKbs.Controllers.Projects.Components.Access;

/// <summary>
/// The project's signing keys and their rotation (docs/access.md, "Signing-key rotation"). KMS does not rotate asymmetric keys,
/// so a rotation is a new RSA_2048 SIGN_VERIFY key. KMS aliases are the truth, status mirrors them:
/// <see cref="AccessNames.SigningKeyAlias"/> names the key that signs, <see cref="AccessNames.PreviousSigningKeyAlias"/> the one
/// before it while its tokens may still be alive. Every write is idempotent and a crash between two of them leaves a state the
/// next pass completes: a new key that never got an alias (crash right after CreateKey) is found again by its tags (this Project's
/// uid, SIGN_VERIFY, Enabled, no alias) and adopted instead of creating another one.
/// </summary>
internal static class SigningKeys
{
    /// <summary>The default of <c>spec.access.signingKeyRotationDays</c>.</summary>
    public const int DefaultRotationDays = 90;

    /// <summary>
    /// How long after the access function was seen signing with the new key the previous public key stays published: the longest
    /// token lifetime (900 s, so also a lifetime lowered during the rotation), plus 120 s for the helper's clock skew (30 s),
    /// invocations still running on the old configuration (the function's timeout, 10 s) and clocks.
    /// </summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(AccessRendering.MaxTokenLifetimeSeconds + 120);

    /// <summary>KMS's longest waiting period: a retired key can be restored (CancelKeyDeletion) for 30 days.</summary>
    public const int PendingWindowDays = 30;

    private const string Enabled = "Enabled";
    private const string PendingDeletion = "PendingDeletion";

    /// <summary><c>spec.access.signingKeyRotationDays</c> clamped to 1..365 (admission refuses anything else), default 90.</summary>
    public static int RotationDays(ProjectSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Math.Clamp(spec.Access?.SigningKeyRotationDays ?? DefaultRotationDays, 1, 365);
    }

    /// <summary>Whether the current key is due for a rotation: no rotation under way and <paramref name="days"/> since it became the signer.</summary>
    public static bool RotationDue(AccessStatus access, int days, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(access);
        return access.PreviousSigningKeyId is null && access.SigningKeyRotatedAt is { } since && now >= new DateTimeOffset(since, TimeSpan.Zero).AddDays(days);
    }

    /// <summary>Whether the previous key is still published: it is Enabled and its retirement time (set once the function signs with
    /// the current key) has not come.</summary>
    public static bool PublishPrevious(AccessStatus access, KeyMetadata? previous, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(access);
        return previous?.KeyState == Enabled
            && (access.PreviousSigningKeyRetiresAt is not { } retires || now < new DateTimeOffset(retires, TimeSpan.Zero));
    }

    /// <summary>
    /// The current signing key (created with its alias when missing; rotated when due) and the previous one while a rotation is
    /// under way. A drift check (nothing due) reads only: DescribeKey of the alias, ListResourceTags, and during a rotation
    /// DescribeKey of the previous key.
    /// </summary>
    public static async Task<(KeyMetadata Current, KeyMetadata? Previous)> EnsureAsync(ProjectContext context, AccessStatus access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(access);
        var kms = context.Aws.Kms;
        var alias = AccessNames.SigningKeyAlias(context.Names);
        var current = await DescribeAsync(context, alias, cancellationToken);
        if (current is null)
        {
            var keyId = access.SigningKeyId ?? await NewKeyAsync(context, cancellationToken);
            await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = keyId }, cancellationToken);
            current = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId }, cancellationToken)).KeyMetadata!;
            access.SigningKeyId = current.KeyId;
        }
        else if (access.SigningKeyId is { } recorded && recorded != current.KeyId)
        {
            // A pass stopped between switching the alias and saving status: the aliases tell where the rotation is.
            access.SigningKeyId = current.KeyId;
            access.SigningKeyRotatedAt = context.Now.UtcDateTime;
            access.PreviousSigningKeyId = (await DescribeAsync(context, AccessNames.PreviousSigningKeyAlias(context.Names), cancellationToken))?.KeyId ?? recorded;
            access.PreviousSigningKeyRetiresAt = null;
        }

        if (access.SigningKeyRotatedAt is null && access.PreviousSigningKeyId is null
            && await DescribeAsync(context, AccessNames.PreviousSigningKeyAlias(context.Names), cancellationToken) is { } left && left.KeyId != current.KeyId)
        {
            // Status without rotation facts (new, or lost) while the aliases show a rotation under way: finish that one.
            access.PreviousSigningKeyId = left.KeyId;
        }

        access.SigningKeyId = current.KeyId;
        access.SigningKeyRotatedAt ??= (current.CreationDate ?? context.Now).UtcDateTime;
        await TagAsync(context, current.Arn!, cancellationToken);

        KeyMetadata? previous = null;
        if (access.PreviousSigningKeyId is { } previousId)
        {
            previous = await DescribeAsync(context, previousId, cancellationToken);
            if (previous is null)
            {
                access.PreviousSigningKeyId = null;
                access.PreviousSigningKeyRetiresAt = null;
            }
        }

        if (current.KeyState == Enabled && RotationDue(access, RotationDays(context.Spec), context.Now))
        {
            (current, previous) = (await RotateAsync(context, access, current, cancellationToken), current);
        }

        return (current, previous);
    }

    /// <summary>
    /// Once the access function runs with <paramref name="previousPublished"/> (its JWKS with or without the previous key): with the
    /// previous key still published, its retirement time is set (first time only: Grace from now); without it, the previous key is
    /// retired: scheduled for deletion (30 days, restorable) and its alias removed. Only after the function stopped publishing it:
    /// a key pending deletion has no public key to hand out.
    /// </summary>
    /// <returns>Whether the previous key was retired in this call (the access role then drops its grant).</returns>
    public static async Task<bool> AfterFunctionConvergedAsync(ProjectContext context, AccessStatus access, KeyMetadata? previous, bool previousPublished, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(access);
        if (access.PreviousSigningKeyId is not { } previousId)
        {
            return false;
        }

        if (previousPublished)
        {
            if (access.PreviousSigningKeyRetiresAt is null)
            {
                access.PreviousSigningKeyRetiresAt = (context.Now + Grace).UtcDateTime;
                await context.SaveStatusAsync(cancellationToken);
            }

            return false;
        }

        var kms = context.Aws.Kms;
        if (previous is not null && previous.KeyState != PendingDeletion)
        {
            var scheduled = await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = previousId, PendingWindowInDays = PendingWindowDays }, cancellationToken);
            context.Event(EventType.Normal, ConditionReasons.Deleting,
                $"signing key {previousId} retired: no longer in the JWKS, deletion scheduled for {scheduled.DeletionDate:u} (KMS CancelKeyDeletion restores it until then)");
        }

        try
        {
            await kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = AccessNames.PreviousSigningKeyAlias(context.Names) }, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
        }

        access.PreviousSigningKeyId = null;
        access.PreviousSigningKeyRetiresAt = null;
        await context.SaveStatusAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// The rotation's writes, in an order a crash cannot spoil: the new key (adopted when an earlier pass made it), the previous alias
    /// on the current key, the signing alias on the new key, then status. The function's environment follows in the same pass.
    /// </summary>
    private static async Task<KeyMetadata> RotateAsync(ProjectContext context, AccessStatus access, KeyMetadata current, CancellationToken cancellationToken)
    {
        var kms = context.Aws.Kms;
        var nextId = await NewKeyAsync(context, cancellationToken);
        var previousAlias = AccessNames.PreviousSigningKeyAlias(context.Names);
        try
        {
            await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = previousAlias, TargetKeyId = current.KeyId! }, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.IsConflict)
        {
            await kms.UpdateAliasAsync(new UpdateAliasRequest { AliasName = previousAlias, TargetKeyId = current.KeyId! }, cancellationToken);
        }

        await kms.UpdateAliasAsync(new UpdateAliasRequest { AliasName = AccessNames.SigningKeyAlias(context.Names), TargetKeyId = nextId }, cancellationToken);
        var next = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = nextId }, cancellationToken)).KeyMetadata!;
        access.PreviousSigningKeyId = current.KeyId;
        access.PreviousSigningKeyRetiresAt = null;
        access.SigningKeyId = next.KeyId;
        access.SigningKeyRotatedAt = context.Now.UtcDateTime;
        await context.SaveStatusAsync(cancellationToken);
        context.Event(EventType.Normal, ConditionReasons.Updating,
            $"signing key rotated: {next.KeyId} signs from now on; {current.KeyId} stays in the JWKS until every token it signed has expired");
        return next;
    }

    /// <summary>A key for the project: one an interrupted pass created (this Project's uid tag, RSA SIGN_VERIFY, Enabled, no
    /// alias), else a new one with the owner tags.</summary>
    private static async Task<string> NewKeyAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        if (await FindUnaliasedAsync(context, cancellationToken) is { } adopted)
        {
            context.Event(EventType.Normal, ConditionReasons.Creating, $"signing key {adopted} adopted (created by an interrupted pass, found by its tags)");
            return adopted;
        }

        var key = (await context.Aws.Kms.CreateKeyAsync(
            new CreateKeyRequest
            {
                Description = $"OpenKBS project {context.Key}: signs the access tokens (RS256); the private key never leaves KMS",
                KeySpec = "RSA_2048",
                KeyUsage = "SIGN_VERIFY",
                Policy = AccessRendering.SigningKeyPolicy(context.AccountId),
                Tags = [.. context.Tags.Select(t => new KmsTag { TagKey = t.Key, TagValue = t.Value })],
            },
            cancellationToken)).KeyMetadata!;
        context.Event(EventType.Normal, ConditionReasons.Creating, $"signing key {key.KeyId} created (KMS, RSA_2048, SIGN_VERIFY)");
        return key.KeyId!;
    }

    /// <summary>Only when a key is about to be made (first key, rotation): ListKeys and ListAliases, then DescribeKey and
    /// ListResourceTags of the keys no alias names.</summary>
    private static async Task<string?> FindUnaliasedAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        var kms = context.Aws.Kms;
        var aliased = (await kms.ListAliasesAsync(new ListAliasesRequest(), cancellationToken)).Aliases
            .Select(a => a.TargetKeyId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var entry in (await kms.ListKeysAsync(new ListKeysRequest(), cancellationToken)).Keys)
        {
            if (entry.KeyId is not { } keyId || aliased.Contains(keyId))
            {
                continue;
            }

            var key = await DescribeAsync(context, keyId, cancellationToken);
            if (key is not { KeyState: Enabled, KeyUsage: "SIGN_VERIFY", KeySpec: "RSA_2048", KeyManager: not "AWS" })
            {
                continue;
            }

            var tags = (await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.Arn! }, cancellationToken)).Tags;
            if (tags.Any(t => t.TagKey == Labels.Uid && t.TagValue == context.Project.Metadata.Uid))
            {
                return keyId;
            }
        }

        return null;
    }

    /// <summary>The owner tags put on the key when any is missing or different (one ListResourceTags read when they are in place).</summary>
    private static async Task TagAsync(ProjectContext context, string keyArn, CancellationToken cancellationToken)
    {
        var kms = context.Aws.Kms;
        var tags = (await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = keyArn }, cancellationToken)).Tags;
        var missing = context.Tags.Where(t => tags.FirstOrDefault(c => c.TagKey == t.Key)?.TagValue != t.Value)
            .Select(t => new KmsTag { TagKey = t.Key, TagValue = t.Value }).ToList();
        if (missing.Count > 0)
        {
            await kms.TagResourceAsync(new Aws.Kms.Model.TagResourceRequest { KeyId = keyArn, Tags = missing }, cancellationToken);
        }
    }

    private static async Task<KeyMetadata?> DescribeAsync(ProjectContext context, string keyId, CancellationToken cancellationToken)
    {
        try
        {
            return (await context.Aws.Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId }, cancellationToken)).KeyMetadata;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }
}
