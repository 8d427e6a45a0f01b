using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Projects.Components.Functions;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects.Components.ApiKeys;

/// <summary>
/// KeysRotated: the second half of key rotation (the first is <see cref="ApiKeyStagingStep"/>). Once every function
/// accepts the staged keys (<see cref="FunctionFacts.Converged"/> with the accepted set old ∪ new), the staged keys
/// are handed over: written in plaintext into the Secret (<see cref="ProjectNames.ApiKeySecret"/>), replacing the old
/// deployment's keys, and the sealed staging entry is removed. On the next pass the staging step offers the functions only
/// the handed-over keys, so the old ones stop working (revoked) after the new ones are in place. <c>status.apiKeys</c> shows
/// names, fingerprints and SHA-256 hashes only; Events name keys by fingerprint. A steady state costs no write at all.
/// </summary>
internal sealed class ApiKeysStep(IApiKeySecretStore secrets) : IProjectStep
{
    public string Name => "api-keys";

    public string? ConditionType => ConditionTypes.KeysRotated;

    public async Task<StepOutcome> RunAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The access function (docs/access.md) checks keys too: it must have the new set before hand-over and revocation.
        var converged = context.Facts.Find<FunctionFacts>()?.Converged == true && context.Facts.Find<Access.AccessFacts>()?.Converged != false;
        if (context.Facts.Find<ApiKeyFacts>()?.Plan is not { } plan)
        {
            if (context.Spec.ApiKeys is not { Count: > 0 })
            {
                context.Status.ApiKeys = null;
                return StepOutcome.Disabled("no API keys in the spec");
            }

            return StepOutcome.Progressing(ProjectReasons.WaitingForDependency, "waiting for the project key to stage API keys",
                ProjectWaits.WaitForNextPhase, nameof(ProjectWaits.WaitForNextPhase));
        }

        if (plan.Staged.Count > 0)
        {
            if (!converged)
            {
                return StepOutcome.Progressing(ConditionReasons.Updating,
                    $"keys of deployment {plan.Deployment} staged; waiting for every function to accept them before they are handed over",
                    context.Options.WaitForLambda, nameof(ProjectWaits.WaitForLambda));
            }

            var keys = plan.Clear.ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
            foreach (var (name, key) in plan.Staged)
            {
                keys[name] = key;
            }

            // Only after this write does anyone hold the new keys; the Secret's resourceVersion is the precondition.
            var written = await secrets.WriteAsync(
                context.Project.Metadata.NamespaceProperty,
                plan.Secret with { Keys = keys, Deployment = plan.Deployment, Staged = null, StagedDeployment = null },
                context.Project,
                cancellationToken);
            Publish(context, written);
            context.Event(EventType.Normal, ProjectReasons.KeysHandedOver,
                $"API keys of deployment {plan.Deployment} handed over in Secret {written.Name}: {Fingerprints(plan.Staged)}; older keys are revoked next");
            return StepOutcome.Progressing(ConditionReasons.Updating,
                $"keys of deployment {plan.Deployment} handed over in Secret {written.Name}; the functions stop accepting older keys next",
                ProjectWaits.WaitForNextPhase, nameof(ProjectWaits.WaitForNextPhase));
        }

        Publish(context, plan.Secret);
        if (plan.Clear.Count == 0)
        {
            return converged
                ? StepOutcome.Disabled("no API keys in the spec; none is accepted")
                : StepOutcome.Progressing(ConditionReasons.Updating, "no API keys in the spec; waiting for the functions to stop accepting the removed ones",
                    context.Options.WaitForLambda, nameof(ProjectWaits.WaitForLambda));
        }

        if (!converged)
        {
            return StepOutcome.Progressing(ConditionReasons.Updating,
                $"keys of deployment {plan.Secret.Deployment} handed over; waiting for the functions to accept only them",
                context.Options.WaitForLambda, nameof(ProjectWaits.WaitForLambda));
        }

        var previous = context.Status.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.KeysRotated);
        if (previous is not { Status: ConditionStatus.True })
        {
            context.Event(EventType.Normal, ProjectReasons.KeysRevoked,
                $"only the keys of deployment {plan.Secret.Deployment} are accepted: {Fingerprints(plan.Clear)}");
        }

        return StepOutcome.Ready($"keys of deployment {plan.Secret.Deployment} in force ({Fingerprints(plan.Clear)}); older keys are not accepted");
    }

    public Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken) =>
        Task.FromResult(StepOutcome.Ready("the Secret is owned by the Project and goes with it; the functions carry only hashes"));

    /// <summary><c>status.apiKeys</c>: the handed-over keys by name, fingerprint and SHA-256 (never a key).</summary>
    private static void Publish(ProjectContext context, ApiKeySecret secret)
    {
        var previous = (context.Status.ApiKeys ?? []).Where(k => k.Sha256 is not null).ToDictionary(k => k.Sha256!, StringComparer.Ordinal);
        var keys = secret.Keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k =>
        {
            var sha = ApiKeyMaterial.Sha256(k.Value);
            return new ApiKeyStatus
            {
                Name = k.Key,
                Sha256 = sha,
                Fingerprint = ApiKeyMaterial.Fingerprint(sha),
                SecretRef = new SecretKeyReference { Name = secret.Name, Key = k.Key },
                CreatedAt = previous.TryGetValue(sha, out var known) && known.CreatedAt is { } at ? at : TruncateToSeconds(context.Now.UtcDateTime),
            };
        }).ToList();
        context.Status.ApiKeys = keys.Count == 0 ? null : keys;
    }

    private static DateTime TruncateToSeconds(DateTime value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static string Fingerprints(IReadOnlyDictionary<string, string> keys) =>
        string.Join(", ", keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {ApiKeyMaterial.Fingerprint(ApiKeyMaterial.Sha256(k.Value))}"));
}
