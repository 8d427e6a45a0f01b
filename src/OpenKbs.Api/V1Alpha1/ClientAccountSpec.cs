using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>The desired AWS account of a client.</summary>
[CelRule("self.region in self.allowedRegions", "region must be one of allowedRegions", FieldPath = ".region")]
[CelRule(
    "!has(oldSelf.adoptAccountId) || (has(self.adoptAccountId) && self.adoptAccountId == oldSelf.adoptAccountId)",
    "adoptAccountId cannot be changed or removed once set",
    FieldPath = ".adoptAccountId",
    Reason = CelReasons.FieldValueForbidden)]
public sealed record ClientAccountSpec
{
    /// <summary>The AWS account name, e.g. <c>ACME GmbH</c>; the object's name when absent.</summary>
    [MinLength(1)]
    [MaxLength(50)]
    [Pattern("^[ -~]+$")]
    public string? DisplayName { get; init; }

    /// <summary>The email of the account's root user; unique across AWS. Immutable: to hand the account over to
    /// the client with another root email, use an AccountTransfer.</summary>
    [MinLength(6)]
    [MaxLength(64)]
    [CelRule("self.matches('" + Patterns.Email + "')", "email must be an email address such as aws+acme@example.com")]
    [Immutable("email is immutable: the root email of a vended account changes only through an AccountTransfer")]
    public required string Email { get; init; }

    /// <summary>The organizational unit to place the account in, as a path of OU names below the root, e.g.
    /// <c>Clients/Manufacturing</c> (at most 5 levels, AWS's nesting limit). Missing OUs are created; changing the
    /// path moves the account. The account stays at the root when absent.</summary>
    [MinLength(1)]
    [MaxLength(640)]
    [CelRule(
        "self.matches('^[A-Za-z0-9][A-Za-z0-9 ._&+-]*(/[A-Za-z0-9][A-Za-z0-9 ._&+-]*)*$')",
        "organizationalUnit must be a path of OU names separated by '/', such as Clients/Manufacturing: no leading, trailing or double '/', names start with a letter or digit and hold letters, digits, spaces and . _ & + -")]
    [CelRule(
        "!self.matches('^[^/]+(/[^/]+){5,}$')",
        "organizationalUnit may be at most 5 levels deep (AWS nests organizational units at most 5 levels below the root)")]
    [CelRule(
        "!self.matches('(^|/)[^/]{129,}')",
        "each organizational unit name in organizationalUnit may be at most 128 characters")]
    public string? OrganizationalUnit { get; init; }

    /// <summary>The home region, where the client's projects run. Must be one of allowedRegions; immutable.</summary>
    [Enum(EuRegions.EuCentral1, EuRegions.EuWest1, EuRegions.EuWest3, EuRegions.EuNorth1, EuRegions.EuSouth1, EuRegions.EuSouth2)]
    [Default(EuRegions.EuCentral1)]
    [Immutable("region is immutable: the home region of a client's resources cannot move")]
    public string Region { get; init; } = EuRegions.EuCentral1;

    /// <summary>The regions the account may use at all, enforced by a service control policy that denies every
    /// other region (global services excepted). EU member-state regions only.</summary>
    [ListSet]
    [MinItems(1)]
    [MaxItems(6)]
    [ItemEnum(EuRegions.EuCentral1, EuRegions.EuWest1, EuRegions.EuWest3, EuRegions.EuNorth1, EuRegions.EuSouth1, EuRegions.EuSouth2)]
    [Default(new[] { EuRegions.EuCentral1 })]
    public IList<string> AllowedRegions { get; init; } = [EuRegions.EuCentral1];

    /// <summary>The IAM role in the account the operator assumes (900-second sessions only).</summary>
    [MinLength(1)]
    [MaxLength(64)]
    [Pattern("^[A-Za-z0-9+=,.@_-]+$")]
    [Default(DefaultAccessRoleName)]
    public string AccessRoleName { get; init; } = DefaultAccessRoleName;

    /// <summary>Tags for the account, in addition to the operator's own <c>openkbs.com/*</c> tags.</summary>
    [MaxProperties(40)]
    [ItemMaxLength(256)]
    [CelRule(
        "self.all(k, size(k) <= 128 && !k.startsWith('aws:') && !k.startsWith('openkbs.com/'))",
        "tag keys must be at most 128 characters and must not start with 'aws:' or 'openkbs.com/' (reserved)")]
    public IDictionary<string, string>? Tags { get; init; }

    /// <summary>What deleting this object does to the account: Retain (default) leaves the account untouched and
    /// tags it as released; Close closes the account (AWS keeps it suspended for 90 days).</summary>
    [Default(AccountDeletionPolicy.Retain)]
    public AccountDeletionPolicy DeletionPolicy { get; init; } = AccountDeletionPolicy.Retain;

    /// <summary>Take over this existing account of the organization instead of creating one. Can be added later
    /// (e.g. after EMAIL_ALREADY_EXISTS) but not changed or removed once set. An account another ClientAccount owns
    /// is refused.</summary>
    [Pattern(Patterns.AccountId)]
    public string? AdoptAccountId { get; init; }

    /// <summary>The default of accessRoleName.</summary>
    public const string DefaultAccessRoleName = "OrganizationAccountAccessRole";
}
