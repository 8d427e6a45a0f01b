using Microsoft.Extensions.Options;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// What the schema could not check, before anything is created: the spec rules (<see cref="SpecRules"/>) and
/// ownership across all namespaces (<see cref="OwnershipPolicy"/>). A violation is terminal with a precise message.
/// </summary>
internal sealed class ValidationStep(IResourceCache<ClientAccount> cache, CreationQueue queue, IOptions<AwsOptions> aws)
{
    public StepOutcome Run(AccountPass pass)
    {
        if (!cache.HasSynced)
        {
            // Ownership needs every ClientAccount in view.
            return StepOutcome.Halt(TimeSpan.FromSeconds(1), AccountReasons.CacheNotSynced);
        }

        if (SpecRules.Check(pass.Resource, [.. aws.Value.AllowedRegions]) is { } violation)
        {
            return Refuse(pass, violation.Reason, violation.Message);
        }

        if (OwnershipPolicy.FindConflict(pass.Resource, cache.List()) is { } conflict)
        {
            return Refuse(pass, ConditionReasons.TerminalOwnershipConflict, conflict.Message);
        }

        return StepOutcome.Continue;
    }

    private StepOutcome Refuse(AccountPass pass, string reason, string message)
    {
        queue.Forget(pass.Uid);
        var status = pass.Status;
        if (status.AccountId is null && status.CreateAccountRequestId is null && status.CreateAccountStartedAt is null)
        {
            status.State = AccountState.Failed;
            status.QueuePosition = null;
            pass.SetCondition(ConditionTypes.AccountCreated, ConditionStatus.False, reason, message);
        }

        return StepOutcome.Terminal(reason, message);
    }
}
