using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Audit;
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
/// The plaintext stays in the Secret until the client marks it collected (<see cref="Annotations.KeysCollected"/> naming the
/// Secret's deployment, e.g. with <c>openkbs keys collected</c>): then the plaintext entries are replaced by their SHA-256
/// (through the audit trail, <see cref="DeleteSecretDataAction"/>), <c>status.apiKeys[].plaintextDeletedAt</c> is set and an Event
/// names the keys by fingerprint. The next deployment hands over new keys in the same Secret.
/// </summary>
internal sealed class ApiKeysStep(IApiKeySecretStore secrets, IChangeAudit audit) : IProjectStep
{
    /// <summary>The audit trail's action for deleting the plaintext keys from the Secret.</summary>
    public const string DeleteSecretDataAction = "kubernetes:DeleteSecretData";

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
                plan.Secret with
                {
                    Keys = keys,
                    Collected = plan.Collected.Where(k => !keys.ContainsKey(k.Key)).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal),
                    CollectedMark = null, // a mark was for the keys before these: the client collects these first
                    Deployment = plan.Deployment,
                    Staged = null,
                    StagedDeployment = null,
                },
                context.Project,
                cancellationToken);
            Publish(context, written);
            context.Event(EventType.Normal, ProjectReasons.KeysHandedOver,
                $"API keys of deployment {plan.Deployment} handed over in Secret {written.Name}: {Fingerprints(plan.Staged)}; older keys are revoked next");
            return StepOutcome.Progressing(ConditionReasons.Updating,
                $"keys of deployment {plan.Deployment} handed over in Secret {written.Name}; the functions stop accepting older keys next",
                ProjectWaits.WaitForNextPhase, nameof(ProjectWaits.WaitForNextPhase));
        }

        var secret = plan.Secret;
        if (secret.CollectedByClient)
        {
            secret = await DeletePlaintextAsync(context, secret, cancellationToken);
        }

        Publish(context, secret);
        if (plan.Clear.Count == 0 && plan.Collected.Count == 0)
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
                $"only the keys of deployment {secret.Deployment} are accepted: {Fingerprints(secret)}");
        }

        var plaintext = secret.Keys.Count == 0
            ? $"plaintext deleted from Secret {secret.Name} after collection"
            : $"plaintext in Secret {secret.Name} until the client marks it collected ({Annotations.KeysCollected}: {secret.Deployment})";
        return StepOutcome.Ready($"keys of deployment {secret.Deployment} in force ({Fingerprints(secret)}); older keys are not accepted; {plaintext}");
    }

    /// <summary>
    /// The client collected the keys: their plaintext entries are replaced by their SHA-256 (what the functions keep accepting), the
    /// mark removed and the time recorded, in one write with the Secret's resourceVersion as precondition, recorded in the audit trail.
    /// </summary>
    private async Task<ApiKeySecret> DeletePlaintextAsync(ProjectContext context, ApiKeySecret secret, CancellationToken cancellationToken)
    {
        var @namespace = context.Project.Metadata.NamespaceProperty;
        var hashes = secret.Hashes();
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["deployment"] = secret.Deployment!,
            ["keys"] = Fingerprints(secret),
            ["reason"] = $"{Annotations.KeysCollected} set by the client",
        };
        var written = await audit.RecordAsync(
            DeleteSecretDataAction, $"secret/{@namespace}/{secret.Name}", details, context.Actor, context.AccountId, context.Region,
            ct => secrets.WriteAsync(
                @namespace,
                secret with { Keys = new Dictionary<string, string>(), Collected = hashes, CollectedMark = null, PlaintextDeletedAt = TruncateToSeconds(context.Now) },
                context.Project,
                ct),
            cancellationToken);
        context.Event(EventType.Normal, ProjectReasons.KeysPlaintextDeleted,
            $"API keys of deployment {secret.Deployment} collected by the client: plaintext deleted from Secret {written.Name}, only the SHA-256 stays ({details["keys"]}); the next deployment hands over new keys");
        return written;
    }

    public Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken) =>
        Task.FromResult(StepOutcome.Ready("the Secret is owned by the Project and goes with it; the functions carry only hashes"));

    /// <summary><c>status.apiKeys</c>: the handed-over keys by name, fingerprint and SHA-256 (never a key).</summary>
    private static void Publish(ProjectContext context, ApiKeySecret secret)
    {
        var previous = (context.Status.ApiKeys ?? []).Where(k => k.Sha256 is not null).ToDictionary(k => k.Sha256!, StringComparer.Ordinal);
        var keys = secret.Hashes().OrderBy(k => k.Key, StringComparer.Ordinal).Select(k =>
        {
            var (name, sha) = k;
            var collected = !secret.Keys.ContainsKey(name);
            return new ApiKeyStatus
            {
                Name = name,
                Sha256 = sha,
                Fingerprint = ApiKeyMaterial.Fingerprint(sha),
                SecretRef = new SecretKeyReference { Name = secret.Name, Key = collected ? name + ApiKeySecret.HashSuffix : name },
                CreatedAt = previous.TryGetValue(sha, out var known) && known.CreatedAt is { } at ? at : TruncateToSeconds(context.Now).UtcDateTime,
                PlaintextDeletedAt = collected ? secret.PlaintextDeletedAt?.UtcDateTime : null,
            };
        }).ToList();
        context.Status.ApiKeys = keys.Count == 0 ? null : keys;
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static string Fingerprints(ApiKeySecret secret) =>
        string.Join(", ", secret.Hashes().OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {ApiKeyMaterial.Fingerprint(k.Value)}"));

    private static string Fingerprints(IReadOnlyDictionary<string, string> keys) =>
        string.Join(", ", keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {ApiKeyMaterial.Fingerprint(ApiKeyMaterial.Sha256(k.Value))}"));
}
