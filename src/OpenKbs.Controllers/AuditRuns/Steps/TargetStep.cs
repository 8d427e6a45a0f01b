using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AuditRuns.Steps;

/// <summary>
/// Resolves <c>spec.projectRef</c> in the AuditRun's own namespace only (the reference has no namespace field: an AuditRun can
/// never audit another tenant's Project), the artifact (<c>spec.source</c>, else the Project's), the version, the Project's Ready
/// ClientAccount and its bucket and key. A Project that does not exist is waited for during
/// <see cref="AuditRunOptions.ProjectGrace"/> after the AuditRun's creation, then terminal.
/// </summary>
internal sealed class TargetStep(AuditRunOptions options) : IRecipeStep<AuditPass>
{
    /// <summary>The reason of a run whose Project never appeared.</summary>
    public const string TerminalProjectNotFound = "TerminalProjectNotFound";

    public string Name => "project";

    public string? ConditionType => null;

    public Task<StepOutcome> RunAsync(AuditPass pass, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        return Task.FromResult(Resolve(pass));
    }

    private StepOutcome Resolve(AuditPass pass)
    {
        var ns = pass.Namespace;
        var name = pass.Spec.ProjectRef.Name;
        var project = pass.Caches.Projects.Get(ns, name);
        if (project is null)
        {
            var created = pass.Created;
            var message = $"Project '{name}' does not exist in namespace '{ns}' (an AuditRun can only audit a Project of its own namespace)";
            return pass.Now - created >= options.ProjectGrace
                ? StepOutcome.Terminal(TerminalProjectNotFound, $"{message}; create it and a new AuditRun")
                : StepOutcome.WaitingBeforeLaterSteps(ConditionReasons.WaitingForProject, $"{message}; waiting for it", options.WaitForProject, "WaitForProject");
        }

        var source = pass.Spec.Source ?? project.Spec.Source;
        if (source is null)
        {
            return StepOutcome.Terminal(ConditionReasons.TerminalInvalidSpec,
                $"nothing to audit: the AuditRun has no spec.source and Project '{name}' has no spec.source (no functions)");
        }

        var accountName = project.Spec.ClientAccountRef.Name;
        var account = pass.Caches.Accounts.Get(ns, accountName);
        if (account?.Status?.AccountId is not { } accountId || !Conditions.IsTrue(account.Status.Conditions, ConditionTypes.Ready))
        {
            return StepOutcome.WaitingBeforeLaterSteps(ConditionReasons.WaitingForAccount,
                $"ClientAccount '{accountName}' of Project '{name}' is not Ready yet; waiting for it", options.WaitForProject, "WaitForProject");
        }

        if (project.Status?.Storage is not { BucketName: { } bucket, KmsKeyArn: { } key })
        {
            return StepOutcome.WaitingBeforeLaterSteps(ConditionReasons.WaitingForProject,
                $"Project '{name}' has no bucket yet (the reports are stored in it); waiting for it", options.WaitForProject, "WaitForProject");
        }

        var target = new AuditTarget
        {
            Project = project,
            Source = source,
            Version = pass.Spec.Version ?? project.Spec.Version,
            Member = pass.Aws.ForAccount(accountId, account.Spec.AccessRoleName, account.Spec.Region, pass.Actor),
            Bucket = bucket,
            KmsKeyArn = key,
        };
        return StepOutcome.Ready($"Project '{name}' in account {accountId}, artifact sha256 {source.Sha256}").With(target);
    }
}
