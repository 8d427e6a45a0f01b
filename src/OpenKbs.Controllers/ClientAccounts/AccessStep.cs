using Microsoft.Extensions.Options;
using OpenKbs.Api;
using OpenKbs.Aws.Core;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// a 900-second session into accessRoleName works. A failure (e.g. AccessDenied in the minutes after creation)
/// shows as AccessVerified=False and the pass comes back after a wait that doubles from
/// <see cref="ClientAccountOptions.WaitForAccessFirst"/> up to <see cref="ClientAccountOptions.WaitForAccessMax"/>:
/// never terminal, never a crash.
/// </summary>
internal sealed class AccessStep(IAccessProbe probe, IOptions<ClientAccountOptions> options) : IRecipeStep<AccountPass>
{
    public string Name => "access";

    public string? ConditionType => ConditionTypes.AccessVerified;

    public async Task<StepOutcome> RunAsync(AccountPass pass, CancellationToken cancellationToken)
    {
        var accountId = pass.Status.AccountId!;
        var role = pass.Spec.AccessRoleName;
        var previous = pass.Condition(ConditionTypes.AccessVerified);
        try
        {
            var proven = await probe.VerifyAsync(accountId, role, pass.Spec.Region, pass.Actor, cancellationToken);
            pass.SetCondition(ConditionTypes.AccessVerified, ConditionStatus.True, ConditionReasons.Available,
                $"a 900-second AssumeRole session into {proven} works");
            if (!previous.IsTrue)
            {
                pass.Event(EventType.Normal, "AccessVerified", $"assumed {proven} for 900 seconds");
            }

            return StepOutcome.Continue;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var wait = Backoff(previous, pass.Now);
            var code = ex is AwsServiceException aws ? aws.ErrorCode : ex.GetType().Name;
            var reason = code.Contains("AccessDenied", StringComparison.OrdinalIgnoreCase) ? AccountReasons.AccessDenied : AccountReasons.AccessNotVerified;
            var message = $"AssumeRole into arn:aws:iam::{accountId}:role/{role} (900 s) did not work yet: {ex.Message} "
                + $"New accounts need a few minutes before the role can be assumed; trying again in {wait.TotalSeconds:0} s";
            if (pass.SetCondition(ConditionTypes.AccessVerified, ConditionStatus.False, reason, message) && !previous.IsFalse)
            {
                pass.Event(EventType.Warning, reason, message);
            }

            return StepOutcome.Halt(wait, reason);
        }
    }

    /// <summary>The wait doubles: it equals the time the access has been failing, within [first, max].</summary>
    internal TimeSpan Backoff(V1ConditionView previous, DateTimeOffset now)
    {
        var first = options.Value.WaitForAccessFirst;
        var max = options.Value.WaitForAccessMax;
        var failingFor = previous.IsFalse && previous.LastTransitionTime is { } since ? now - UtcTimes.From(since) : TimeSpan.Zero;
        var wait = failingFor > first ? failingFor : first;
        return wait > max ? max : wait;
    }
}
