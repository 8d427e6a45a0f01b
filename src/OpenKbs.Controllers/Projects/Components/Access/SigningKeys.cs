using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects.Components.Access;

/// <summary>
/// The project's signing keys and their rotation (docs/access.md, "Signing-key rotation"). KMS does not rotate asymmetric keys,
/// so a rotation is a new RSA_2048 SIGN_VERIFY key. KMS aliases are the truth, status mirrors them:
/// <see cref="AccessNames.SigningKeyAlias"/> names the key that signs, <see cref="AccessNames.PreviousSigningKeyAlias"/> the one
/// before it while its tokens may still be alive. Every write is idempotent and a crash between two of them leaves a state the
/// next pass completes: a new key that never got an alias (crash right after CreateKey) is found again by its tags (this Project's
/// uid, SIGN_VERIFY, Enabled, no alias) and adopted instead of creating another one. These are the step's decisions; every read
/// and write goes through <see cref="AccessManager"/>. The key's owner tags are compared and put back with the rest of the
/// access component's paths (<see cref="AccessDelta.SigningKeyTags"/>).
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
    /// under way. A drift check (nothing due) reads only: DescribeKey of the alias, and during a rotation DescribeKey of the
    /// previous key.
    /// </summary>
    public static async Task<(KeyMetadata Current, KeyMetadata? Previous)> EnsureAsync(ProjectContext context, AccessManager manager, AccessStatus access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(access);
        var alias = AccessNames.SigningKeyAlias(context.Names);
        var current = await manager.DescribeKeyAsync(alias, cancellationToken);
        if (current is null)
        {
            var keyId = access.SigningKeyId ?? await NewKeyAsync(context, manager, cancellationToken);
            await manager.CreateAliasAsync(alias, keyId, cancellationToken);
            current = await manager.DescribeKeyAsync(keyId, cancellationToken)
                ?? throw new InvalidOperationException($"KMS does not describe signing key {keyId} right after its alias was created");
            access.SigningKeyId = current.KeyId;
        }
        else if (access.SigningKeyId is { } recorded && recorded != current.KeyId)
        {
            // A pass stopped between switching the alias and saving status: the aliases tell where the rotation is.
            access.SigningKeyId = current.KeyId;
            access.SigningKeyRotatedAt = context.Now.UtcDateTime;
            access.PreviousSigningKeyId = (await manager.DescribeKeyAsync(AccessNames.PreviousSigningKeyAlias(context.Names), cancellationToken))?.KeyId ?? recorded;
            access.PreviousSigningKeyRetiresAt = null;
        }

        if (access.SigningKeyRotatedAt is null && access.PreviousSigningKeyId is null
            && await manager.DescribeKeyAsync(AccessNames.PreviousSigningKeyAlias(context.Names), cancellationToken) is { } left && left.KeyId != current.KeyId)
        {
            // Status without rotation facts (new, or lost) while the aliases show a rotation under way: finish that one.
            access.PreviousSigningKeyId = left.KeyId;
        }

        access.SigningKeyId = current.KeyId;
        access.SigningKeyRotatedAt ??= (current.CreationDate ?? context.Now).UtcDateTime;

        KeyMetadata? previous = null;
        if (access.PreviousSigningKeyId is { } previousId)
        {
            previous = await manager.DescribeKeyAsync(previousId, cancellationToken);
            if (previous is null)
            {
                access.PreviousSigningKeyId = null;
                access.PreviousSigningKeyRetiresAt = null;
            }
        }

        if (current.KeyState == Enabled && RotationDue(access, RotationDays(context.Spec), context.Now))
        {
            (current, previous) = (await RotateAsync(context, manager, access, current, cancellationToken), current);
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
    public static async Task<bool> AfterFunctionConvergedAsync(ProjectContext context, AccessManager manager, AccessStatus access, KeyMetadata? previous, bool previousPublished, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(manager);
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

        if (previous is not null && previous.KeyState != PendingDeletion)
        {
            var deletion = await manager.ScheduleKeyDeletionAsync(previousId, PendingWindowDays, cancellationToken);
            context.Event(EventType.Normal, ConditionReasons.Deleting,
                $"signing key {previousId} retired: no longer in the JWKS, deletion scheduled for {deletion:u} (KMS CancelKeyDeletion restores it until then)");
        }

        await manager.DeleteAliasAsync(AccessNames.PreviousSigningKeyAlias(context.Names), cancellationToken);

        access.PreviousSigningKeyId = null;
        access.PreviousSigningKeyRetiresAt = null;
        await context.SaveStatusAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// The rotation's writes, in an order a crash cannot spoil: the new key (adopted when an earlier pass made it), the previous alias
    /// on the current key, the signing alias on the new key, then status. The function's environment follows in the same pass.
    /// </summary>
    private static async Task<KeyMetadata> RotateAsync(ProjectContext context, AccessManager manager, AccessStatus access, KeyMetadata current, CancellationToken cancellationToken)
    {
        var nextId = await NewKeyAsync(context, manager, cancellationToken);
        var previousAlias = AccessNames.PreviousSigningKeyAlias(context.Names);
        if (!await manager.CreateAliasAsync(previousAlias, current.KeyId!, cancellationToken))
        {
            await manager.UpdateAliasAsync(previousAlias, current.KeyId!, cancellationToken);
        }

        await manager.UpdateAliasAsync(AccessNames.SigningKeyAlias(context.Names), nextId, cancellationToken);
        var next = await manager.DescribeKeyAsync(nextId, cancellationToken)
            ?? throw new InvalidOperationException($"KMS does not describe signing key {nextId} right after the alias was switched to it");
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
    private static async Task<string> NewKeyAsync(ProjectContext context, AccessManager manager, CancellationToken cancellationToken)
    {
        if (await FindUnaliasedAsync(context, manager, cancellationToken) is { } adopted)
        {
            context.Event(EventType.Normal, ConditionReasons.Creating, $"signing key {adopted} adopted (created by an interrupted pass, found by its tags)");
            return adopted;
        }

        var key = await manager.CreateSigningKeyAsync(
            $"OpenKBS project {context.Key}: signs the access tokens (RS256); the private key never leaves KMS",
            AccessRendering.SigningKeyPolicy(context.AccountId),
            context.Tags,
            cancellationToken);
        context.Event(EventType.Normal, ConditionReasons.Creating, $"signing key {key.KeyId} created (KMS, RSA_2048, SIGN_VERIFY)");
        return key.KeyId!;
    }

    /// <summary>Only when a key is about to be made (first key, rotation): the keys no alias names, and the tags of those that
    /// could be a signing key of this project (customer managed, Enabled, RSA_2048 SIGN_VERIFY).</summary>
    private static async Task<string?> FindUnaliasedAsync(ProjectContext context, AccessManager manager, CancellationToken cancellationToken)
    {
        foreach (var key in await manager.UnaliasedKeysAsync(cancellationToken))
        {
            if (key is { KeyState: Enabled, KeyUsage: "SIGN_VERIFY", KeySpec: "RSA_2048", KeyManager: not "AWS" }
                && OwnershipTags.Find(await manager.ReadKeyTagsAsync(key.Arn!, cancellationToken), Labels.Uid) == context.Project.Metadata.Uid)
            {
                return key.KeyId;
            }
        }

        return null;
    }
}
