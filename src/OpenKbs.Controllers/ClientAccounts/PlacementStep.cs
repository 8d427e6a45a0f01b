using OpenKbs.Api;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>the account sits in the OU the spec names (missing OUs are created); a different parent means MoveAccount.</summary>
internal sealed class PlacementStep(OrganizationalUnitResolver resolver) : IRecipeStep<AccountPass>
{
    public string Name => "placement";

    public string? ConditionType => ConditionTypes.Placed;

    public async Task<StepOutcome> RunAsync(AccountPass pass, CancellationToken cancellationToken)
    {
        if (!OrganizationalUnitPath.TryParse(pass.Spec.OrganizationalUnit, out var path, out var error))
        {
            // The validation step refuses this first; kept so the step is safe on its own.
            return StepOutcome.Terminal(ConditionReasons.TerminalInvalidSpec, error!);
        }

        var accountId = pass.Status.AccountId!;
        var target = await resolver.ResolveAsync(pass, path, cancellationToken);
        var current = (await pass.Organizations.ListParentsAsync(new ListParentsRequest { ChildId = accountId }, cancellationToken)).Parents
            .FirstOrDefault(p => p.Id is not null)?.Id
            ?? throw new AwsServiceException("organizations", "ListParents", "NoParent", $"account {accountId} has no parent yet", 0, null, AwsErrorClassification.Transient);
        if (!string.Equals(current, target, StringComparison.Ordinal))
        {
            await pass.Organizations.MoveAccountAsync(
                new MoveAccountRequest { AccountId = accountId, SourceParentId = current, DestinationParentId = target }, cancellationToken);
            pass.Event(EventType.Normal, "AccountMoved", $"moved account {accountId} from {current} to {path} ({target})");
        }

        pass.Status.OrganizationalUnitId = target;
        pass.SetCondition(ConditionTypes.Placed, ConditionStatus.True, ConditionReasons.Available, $"account {accountId} is in {path} ({target})");
        return StepOutcome.Continue;
    }
}
