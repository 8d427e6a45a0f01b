using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Projects.Components.Storage;
using OpenKbs.Controllers.Shared.Recipes;

namespace OpenKbs.Controllers.Projects.Components.ApiKeys;

/// <summary>
/// No condition of its own, the first half of key rotation. It reads the API-key Secret and decides what the functions
/// must accept in this pass: the handed-over keys still in the spec, plus the keys of a new deployment, which it generates and
/// STAGES first: sealed with the project's KMS key inside the same Secret (unusable, but recoverable after a crash), before any
/// function accepts them. Keys whose names left the spec are removed from the Secret here, before the functions stop accepting
/// them. The accepted set goes to the functions step as sealed setting <see cref="ApiKeyPayload.Variable"/>.
/// The ordering (docs/project.md, "Key rotation"): stage → functions accept old ∪ new → hand over (Secret) → revoke old (functions).
/// The step decides; <see cref="ApiKeyDelta.Between"/> names the keys needed and removed; <see cref="ApiKeyManager"/> seals and
/// opens the staged keys with KMS; <see cref="IApiKeySecretStore"/> reads and writes the Secret.
/// </summary>
internal sealed class ApiKeyStagingStep(IApiKeySecretStore secrets) : IProjectStep
{
    /// <summary>The envelope purpose of staged keys (a different context than the functions' setting).</summary>
    public const string StagedPurpose = "api-keys-staged";

    public string Name => "api-key-staging";

    public string? ConditionType => null;

    public async Task<StepOutcome> RunAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var spec = (context.Spec.ApiKeys ?? []).ToDictionary(k => k.Name, k => (IReadOnlyList<string>)[.. k.Permissions.Order(StringComparer.Ordinal)], StringComparer.Ordinal);
        var ns = context.Project.Metadata.NamespaceProperty;
        var secret = await secrets.ReadAsync(ns, context.Names.ApiKeySecret, cancellationToken);
        if (spec.Count == 0 && secret is null)
        {
            return StepOutcome.Disabled("no API keys in the spec");
        }

        if (context.Facts.Find<StorageFacts>() is not { } key)
        {
            return StepOutcome.Progressing(ProjectReasons.WaitingForDependency, "waiting for the project key", TimeSpan.Zero, nameof(ProjectWaits.WaitForNextPhase));
        }

        var deployment = context.DeploymentId;
        secret ??= new ApiKeySecret { Name = context.Names.ApiKeySecret };
        var delta = ApiKeyDelta.Between(spec.Keys, deployment, secret);
        var clear = delta.Kept;
        var collected = delta.KeptCollected;

        IReadOnlyDictionary<string, string> staged = new Dictionary<string, string>();
        string? sealedStaged = null;
        if (delta.Needed.Count > 0)
        {
            var manager = new ApiKeyManager(context.Aws.Kms);
            var envelopeContext = context.Names.EnvelopeContext(StagedPurpose);

            // An envelope that does not open (tampered with, sealed for another owner) was never handed over: new keys are staged.
            var previous = secret.Staged is not null && secret.StagedDeployment == deployment
                ? await manager.OpenStagedAsync(secret.Staged, envelopeContext, cancellationToken)
                : null;
            if (delta.IsStagedBy(previous))
            {
                // A restart mid-rotation: the keys staged before are the ones to deploy (never a second set).
                staged = previous;
                sealedStaged = secret.Staged;
            }
            else
            {
                staged = delta.Needed.ToDictionary(n => n, _ => ApiKeyMaterial.Generate(), StringComparer.Ordinal);
                sealedStaged = await manager.SealStagedAsync(key.KeyArn, staged, envelopeContext, cancellationToken);
            }
        }

        var desired = secret with
        {
            Keys = clear,
            Collected = collected,
            Staged = sealedStaged,
            StagedDeployment = sealedStaged is null ? null : deployment,
        };
        if (!SameContent(secret, desired))
        {
            // Staged keys are durable (sealed) before any function accepts them; removed names leave the Secret first.
            secret = await secrets.WriteAsync(ns, desired, context.Project, cancellationToken);
        }

        var accepted = clear.Select(k => new AcceptedKey(k.Key, ApiKeyMaterial.Sha256(k.Value), spec[k.Key], secret.Deployment ?? deployment))
            .Concat(collected.Select(k => new AcceptedKey(k.Key, k.Value, spec[k.Key], secret.Deployment ?? deployment)))
            .Concat(staged.Select(k => new AcceptedKey(k.Key, ApiKeyMaterial.Sha256(k.Value), spec[k.Key], deployment)))
            .OrderBy(k => k.Name, StringComparer.Ordinal).ThenBy(k => k.Deployment, StringComparer.Ordinal)
            .ToList();
        var plan = new ApiKeyPlan { Secret = secret, Deployment = deployment, Clear = clear, Collected = collected, Staged = staged, Accepted = accepted };
        var settings = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        if (spec.Count > 0)
        {
            settings[ApiKeyPayload.Variable] = ApiKeyPayload.Render(accepted);
        }

        return StepOutcome.Ready(staged.Count > 0
            ? $"keys of deployment {deployment} staged (sealed) for {string.Join(", ", staged.Keys)}"
            : "no keys to stage").With(new ApiKeyFacts(plan, settings));
    }

    public Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken) =>
        Task.FromResult(StepOutcome.Ready("the Secret is owned by the Project and goes with it"));

    private static bool SameContent(ApiKeySecret current, ApiKeySecret desired) =>
        current.ResourceVersion is not null
        && current.Staged == desired.Staged
        && current.StagedDeployment == desired.StagedDeployment
        && Same(current.Keys, desired.Keys)
        && Same(current.Collected, desired.Collected);

    private static bool Same(IReadOnlyDictionary<string, string> current, IReadOnlyDictionary<string, string> desired) =>
        current.Count == desired.Count && current.All(k => desired.TryGetValue(k.Key, out var v) && v == k.Value);
}
