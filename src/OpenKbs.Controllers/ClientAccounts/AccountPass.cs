using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Organizations;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// One reconcile of one ClientAccount (<see cref="RecipePass{TResource, TSpec, TStatus}"/>) with the management account's
/// Organizations client bound to this object's actor and what triggered the pass.
/// </summary>
internal sealed class AccountPass(
    ClientAccount resource,
    IOrganizationsClient organizations,
    IStatusStore<ClientAccount> store,
    TimeProvider clock,
    Action<EventType, string, string> recordEvent,
    ReconcileTrigger trigger = ReconcileTrigger.None)
    : RecipePass<ClientAccount, ClientAccountSpec, ClientAccountStatus>(resource, ClientAccountRegistration.ControllerName, clock, recordEvent, store)
{
    public IOrganizationsClient Organizations { get; } = organizations;

    public ReconcileTrigger Trigger { get; } = trigger;

    /// <summary>The AWS account name: spec.displayName, else the object's name.</summary>
    public string AccountName => string.IsNullOrWhiteSpace(Spec.DisplayName) ? Name : Spec.DisplayName;
}
