using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Iam.Model;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;
using OpenKbs.Controllers.Projects.Components.Storage;

namespace OpenKbs.Controllers.Projects.Components.ExecutionRole;

/// <summary>
/// No condition of its own: the functions' execution role <see cref="ProjectNames.ExecutionRole"/>, trusted by
/// lambda.amazonaws.com only, with one inline policy (<see cref="ExecutionRoleRendering.Policy"/>) and nothing else: inline
/// policies under other names and attached managed policies found on it are removed (least privilege is drift-corrected too).
/// A drift check costs four reads (GetRole, GetRolePolicy, ListRolePolicies, ListAttachedRolePolicies).
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

        var iam = context.Aws.Iam;
        var roleName = context.Names.ExecutionRole;
        var trust = ExecutionRoleRendering.TrustPolicy();
        var policy = ExecutionRoleRendering.Policy(context.Names, context.AccountId, context.Region, key.KeyArn, [.. context.Facts.All<IExecutionRoleContribution>().SelectMany(c => c.RoleStatements)]);
        var changes = new List<string>();

        Role role;
        try
        {
            role = (await iam.GetRoleAsync(new GetRoleRequest { RoleName = roleName }, cancellationToken)).Role!;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            role = await CreateAsync(context, roleName, trust, cancellationToken);
            changes.Add("created");
        }

        var tags = role.Tags ?? (await iam.ListRoleTagsAsync(new ListRoleTagsRequest { RoleName = roleName }, cancellationToken)).Tags;
        var uid = tags.FirstOrDefault(t => t.Key == Labels.Uid)?.Value;
        if (uid is not null && uid != context.Project.Metadata.Uid)
        {
            return StepOutcome.Terminal(ConditionReasons.TerminalOwnershipConflict,
                $"role {roleName} belongs to {tags.FirstOrDefault(t => t.Key == Labels.Owner)?.Value ?? uid}, not to this Project; nothing was changed");
        }

        if (!PolicyDocuments.Equivalent(role.AssumeRolePolicyDocument, trust))
        {
            await iam.UpdateAssumeRolePolicyAsync(new UpdateAssumeRolePolicyRequest { RoleName = roleName, PolicyDocument = trust }, cancellationToken);
            changes.Add("trust policy");
        }

        string? current = null;
        try
        {
            current = (await iam.GetRolePolicyAsync(new GetRolePolicyRequest { RoleName = roleName, PolicyName = ProjectNames.ExecutionRolePolicy }, cancellationToken)).PolicyDocument;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
        }

        if (!PolicyDocuments.Equivalent(current, policy))
        {
            await iam.PutRolePolicyAsync(new PutRolePolicyRequest { RoleName = roleName, PolicyName = ProjectNames.ExecutionRolePolicy, PolicyDocument = policy }, cancellationToken);
            changes.Add("permissions");
        }

        foreach (var extra in (await iam.ListRolePoliciesAsync(new ListRolePoliciesRequest { RoleName = roleName }, cancellationToken)).PolicyNames
            .Where(n => n != ProjectNames.ExecutionRolePolicy))
        {
            await iam.DeleteRolePolicyAsync(new DeleteRolePolicyRequest { RoleName = roleName, PolicyName = extra }, cancellationToken);
            changes.Add($"inline policy {extra} removed");
        }

        foreach (var attached in (await iam.ListAttachedRolePoliciesAsync(new ListAttachedRolePoliciesRequest { RoleName = roleName }, cancellationToken)).AttachedPolicies)
        {
            await iam.DetachRolePolicyAsync(new DetachRolePolicyRequest { RoleName = roleName, PolicyArn = attached.PolicyArn! }, cancellationToken);
            changes.Add($"managed policy {attached.PolicyName} detached");
        }

        var missingTags = context.Tags.Where(t => tags.FirstOrDefault(c => c.Key == t.Key)?.Value != t.Value).ToList();
        if (missingTags.Count > 0)
        {
            await iam.TagRoleAsync(new TagRoleRequest { RoleName = roleName, Tags = [.. missingTags.Select(t => new Tag { Key = t.Key, Value = t.Value })] }, cancellationToken);
        }

        if (tags.Any(t => t.Key == Labels.Released))
        {
            await iam.UntagRoleAsync(new UntagRoleRequest { RoleName = roleName, TagKeys = [Labels.Released] }, cancellationToken);
        }

        if (changes.Count > 0 && !changes.Contains("created"))
        {
            context.Event(EventType.Normal, ProjectReasons.DriftCorrected, $"execution role {roleName}: put back {string.Join(", ", changes)}");
        }

        return StepOutcome.Ready($"execution role {roleName}: lambda.amazonaws.com only; own logs, {ProjectNames.DataPrefix} of the bucket, the project key")
            .With(new ExecutionRoleFacts(role.Arn!));
    }

    public async Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var iam = context.Aws.Iam;
        var roleName = context.Names.ExecutionRole;
        Role role;
        try
        {
            role = (await iam.GetRoleAsync(new GetRoleRequest { RoleName = roleName }, cancellationToken)).Role!;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return StepOutcome.Ready("no execution role");
        }

        var tags = role.Tags ?? (await iam.ListRoleTagsAsync(new ListRoleTagsRequest { RoleName = roleName }, cancellationToken)).Tags;
        if (tags.FirstOrDefault(t => t.Key == Labels.Uid)?.Value is { } uid && uid != context.Project.Metadata.Uid)
        {
            return StepOutcome.Ready($"role {roleName} belongs to another owner and was left alone");
        }

        if (policy == ProjectDeletionPolicy.Retain)
        {
            if (tags.All(t => t.Key != Labels.Released))
            {
                await iam.TagRoleAsync(new TagRoleRequest { RoleName = roleName, Tags = [new Tag { Key = Labels.Released, Value = Released(context) }] }, cancellationToken);
            }

            return StepOutcome.Ready($"execution role {roleName} kept (tagged {Labels.Released})");
        }

        // Delete: the role holds no data. IAM does not cascade: inline policies and attachments go first.
        foreach (var name in (await iam.ListRolePoliciesAsync(new ListRolePoliciesRequest { RoleName = roleName }, cancellationToken)).PolicyNames)
        {
            await iam.DeleteRolePolicyAsync(new DeleteRolePolicyRequest { RoleName = roleName, PolicyName = name }, cancellationToken);
        }

        foreach (var attached in (await iam.ListAttachedRolePoliciesAsync(new ListAttachedRolePoliciesRequest { RoleName = roleName }, cancellationToken)).AttachedPolicies)
        {
            await iam.DetachRolePolicyAsync(new DetachRolePolicyRequest { RoleName = roleName, PolicyArn = attached.PolicyArn! }, cancellationToken);
        }

        await iam.DeleteRoleAsync(new DeleteRoleRequest { RoleName = roleName }, cancellationToken);
        return StepOutcome.Ready($"execution role {roleName} deleted");
    }

    internal static string Released(ProjectContext context) =>
        context.Now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<Role> CreateAsync(ProjectContext context, string roleName, string trust, CancellationToken cancellationToken)
    {
        var iam = context.Aws.Iam;
        try
        {
            var created = await iam.CreateRoleAsync(
                new CreateRoleRequest
                {
                    RoleName = roleName,
                    AssumeRolePolicyDocument = trust,
                    Description = $"OpenKBS: execution role of the functions of Project {context.Key}",
                    Tags = [.. context.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value })],
                },
                cancellationToken);
            return created.Role!;
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.EntityAlreadyExists)
        {
            return (await iam.GetRoleAsync(new GetRoleRequest { RoleName = roleName }, cancellationToken)).Role!;
        }
    }
}
