using System.Text.RegularExpressions;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Shared;
using AwsEuRegions = OpenKbs.Aws.Regions.EuRegions;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// The spec checks the schema cannot make (or that must hold even when admission validation was bypassed): EU-only
/// regions against the AWS layer's guard and the operator's allowlist, the email shape AWS accepts, the OU path, and
/// an adoptAccountId that contradicts the account already managed. Pure: inputs in, the first violation out.
/// </summary>
internal static partial class SpecRules
{
    /// <summary>The first violation as (reason, message), or null when the spec is acceptable.</summary>
    public static SpecViolation? Check(ClientAccount resource, IReadOnlyCollection<string> operatorAllowedRegions)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(operatorAllowedRegions);
        var spec = resource.Spec;

        if (string.IsNullOrWhiteSpace(spec.Email) || !EmailPattern().IsMatch(spec.Email) || spec.Email.Length is < 6 or > 64)
        {
            return new(ConditionReasons.TerminalInvalidEmail,
                $"email '{spec.Email}' is not an address AWS Organizations accepts (6-64 characters, e.g. aws+acme@example.com); nothing was created");
        }

        var allowed = spec.AllowedRegions?.ToList() ?? [];
        if (allowed.Count == 0)
        {
            return new(ConditionReasons.TerminalInvalidSpec, "allowedRegions is empty; list at least the home region, e.g. [eu-central-1]");
        }

        if (allowed.FirstOrDefault(r => !AwsEuRegions.IsMemberStateRegion(r)) is { } outside)
        {
            return new(ConditionReasons.TerminalRegionNotAllowed,
                $"allowedRegions contains '{outside}', which is not an AWS region in an EU member state (allowed: {string.Join(", ", AwsEuRegions.MemberStateRegions.Order(StringComparer.Ordinal))}); nothing was created");
        }

        if (!allowed.Contains(spec.Region, StringComparer.Ordinal))
        {
            return new(ConditionReasons.TerminalInvalidSpec, $"region '{spec.Region}' must be one of allowedRegions ({string.Join(", ", allowed)})");
        }

        if (!operatorAllowedRegions.Contains(spec.Region, StringComparer.Ordinal))
        {
            return new(ConditionReasons.TerminalRegionNotAllowed,
                $"region '{spec.Region}' is not in the operator's allowed regions ({string.Join(", ", operatorAllowedRegions)}); the operator makes no call outside them. "
                + "Ask the platform team to add it (configuration Aws:AllowedRegions) or choose one of those");
        }

        if (!OrganizationalUnitPath.TryParse(spec.OrganizationalUnit, out _, out var pathError))
        {
            return new(ConditionReasons.TerminalInvalidSpec, pathError + "; nothing was created");
        }

        if (string.IsNullOrWhiteSpace(spec.AccessRoleName) || !RoleNamePattern().IsMatch(spec.AccessRoleName))
        {
            return new(ConditionReasons.TerminalInvalidSpec, $"accessRoleName '{spec.AccessRoleName}' is not an IAM role name (1-64 of A-Z a-z 0-9 + = , . @ _ -)");
        }

        if (spec.AdoptAccountId is { } adopt && resource.Status?.AccountId is { } managed && !string.Equals(adopt, managed, StringComparison.Ordinal))
        {
            return new(ConditionReasons.TerminalInvalidSpec,
                $"adoptAccountId {adopt} differs from the account this ClientAccount already manages ({managed}); a ClientAccount manages exactly one account");
        }

        return null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^[A-Za-z0-9+=,.@_-]{1,64}$")]
    private static partial Regex RoleNamePattern();
}
