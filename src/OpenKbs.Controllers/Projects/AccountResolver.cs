using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects;

/// <summary>
/// Resolves <c>spec.clientAccountRef</c> in the Project's own namespace only (the reference has no namespace field: one tenant's
/// Project can never reach another tenant's account) through the ClientAccount informer cache. A missing or not-yet-Ready
/// account is a wait (reason WaitingForAccount), not an error; a ClientAccount becoming Ready wakes its Projects at once
/// (<see cref="ProjectRegistration"/> watches ClientAccounts).
/// </summary>
internal sealed class AccountResolver(IResourceCache<ClientAccount> accounts, ProjectOptions options)
{
    public AccountResolution Resolve(Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var ns = project.Metadata.NamespaceProperty;
        var name = project.Spec.ClientAccountRef.Name;
        var account = accounts.Get(ns, name);
        if (account is null)
        {
            return Wait($"ClientAccount '{name}' does not exist in namespace '{ns}' (a Project can only use a ClientAccount of its own namespace); waiting for it");
        }

        var status = account.Status;
        var ready = Conditions.Find(status?.Conditions, ConditionTypes.Ready);
        if (status?.AccountId is null || !Conditions.IsTrue(status.Conditions, ConditionTypes.Ready))
        {
            var why = ready is null ? "it has no Ready condition yet" : $"Ready is {ready.Status} ({ready.Reason})";
            return Wait($"ClientAccount '{name}' is not Ready yet: {why}; waiting for it");
        }

        if (project.Status?.AccountId is { } recorded && !string.Equals(recorded, status.AccountId, StringComparison.Ordinal))
        {
            return new AccountResolution
            {
                Stop = StepOutcome.Terminal(ConditionReasons.TerminalOwnershipConflict,
                    $"the project's resources live in account {recorded}, but ClientAccount '{name}' now manages account {status.AccountId}; "
                    + "the operator never moves a project between accounts. Restore the ClientAccount or create a new Project"),
            };
        }

        return new AccountResolution { Account = account };
    }

    private AccountResolution Wait(string message) => new()
    {
        Stop = StepOutcome.Progressing(ConditionReasons.WaitingForAccount, message, options.WaitForAccount, nameof(ProjectWaits.WaitForAccount)),
    };
}
