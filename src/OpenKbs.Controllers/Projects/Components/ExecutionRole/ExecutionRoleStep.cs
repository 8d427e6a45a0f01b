using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Projects.Components.Roles;
using OpenKbs.Controllers.Projects.Components.Storage;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects.Components.ExecutionRole;

/// <summary>
/// No condition of its own: the functions' execution role <see cref="ProjectNames.ExecutionRole"/>, trusted by
/// lambda.amazonaws.com only, with one inline policy (<see cref="ExecutionRoleRendering.Policy"/>) and nothing else: inline
/// policies under other names and attached managed policies found on it are removed (least privilege is drift-corrected too).
/// A drift check costs four reads (GetRole, GetRolePolicy, ListRolePolicies, ListAttachedRolePolicies), made by the
/// shared <see cref="RoleManager"/>; the pure <see cref="RoleDelta"/> names what is written.
/// </summary>
internal sealed class ExecutionRoleStep : IProjectStep
{
    public string Name => "execution-role";

    public string? ConditionType => null;

    public async Task<StepOutcome> RunAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Spec.Functions is not { Count: > 0 })
        {
            return StepOutcome.Disabled("no functions: no execution role needed");
        }

        if (context.Facts.Find<StorageFacts>() is not { } key)
        {
            return StepOutcome.Progressing(ProjectReasons.WaitingForDependency, "waiting for the project key", TimeSpan.Zero, nameof(ProjectWaits.WaitForNextPhase));
        }

        var roles = new RoleManager(context.Aws.Iam);
        var desired = new RoleDesired(
            context.Names.ExecutionRole,
            $"OpenKBS: execution role of the functions of Project {context.Key}",
            ExecutionRoleRendering.TrustPolicy(),
            ProjectNames.ExecutionRolePolicy,
            ExecutionRoleRendering.Policy(context.Names, context.AccountId, context.Region, key.KeyArn, [.. context.Facts.All<IExecutionRoleContribution>().SelectMany(c => c.RoleStatements)]),
            context.Tags,
            OnlyThisPolicy: true);
        var role = await roles.GetAsync(desired.Name, cancellationToken);
        var created = role is null;
        role ??= await roles.CreateAsync(desired, cancellationToken);

        var observed = await roles.ObserveAsync(role, desired, cancellationToken);
        if (observed.OwnerOtherThan(context.Project.Metadata.Uid) is { } owner)
        {
            return StepOutcome.Terminal(ConditionReasons.TerminalOwnershipConflict,
                $"role {desired.Name} belongs to {owner}, not to this Project; nothing was changed");
        }

        var delta = RoleDelta.Between(desired, observed);
        await roles.ApplyAsync(desired, delta, cancellationToken);
        if (delta.Changes.Count > 0 && !created)
        {
            context.Event(EventType.Normal, ProjectReasons.DriftCorrected, $"execution role {desired.Name}: put back {string.Join(", ", delta.Changes)}");
        }

        return StepOutcome.Ready($"execution role {desired.Name}: lambda.amazonaws.com only; own logs, {ProjectNames.DataPrefix} of the bucket, the project key")
            .With(new ExecutionRoleFacts(role.Arn!));
    }

    public async Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var roles = new RoleManager(context.Aws.Iam);
        var roleName = context.Names.ExecutionRole;
        if (await roles.GetAsync(roleName, cancellationToken) is not { } role)
        {
            return StepOutcome.Ready("no execution role");
        }

        var tags = (await roles.TagsAsync(role, cancellationToken)).Pairs();
        if (OwnershipTags.ForeignOwner(tags, context.Project.Metadata.Uid) is not null)
        {
            return StepOutcome.Ready($"role {roleName} belongs to another owner and was left alone");
        }

        if (policy == ProjectDeletionPolicy.Retain)
        {
            if (!OwnershipTags.IsReleased(tags))
            {
                await roles.TagAsync(roleName, Labels.Released, OwnershipTags.ReleasedValue(context.Now), cancellationToken);
            }

            return StepOutcome.Ready($"execution role {roleName} kept (tagged {Labels.Released})");
        }

        // Delete: the role holds no data.
        await roles.DeleteAsync(roleName, cancellationToken);
        return StepOutcome.Ready($"execution role {roleName} deleted");
    }
}
