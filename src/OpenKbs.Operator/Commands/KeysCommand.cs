using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using k8s;
using k8s.Autorest;
using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Operator.Commands;

/// <summary>
/// `openkbs keys collected --namespace N --project P [--deployment D] [--kubeconfig PATH]`: the client says it has collected the
/// plaintext API keys the operator handed over in the Project's Secret (docs/project.md, "API keys"). It marks the Secret (annotation
/// <see cref="Annotations.KeysCollected"/> = the deployment whose keys it holds, written with the Secret's resourceVersion as
/// precondition) and asks for a reconcile; the operator then deletes the plaintext, keeping only the SHA-256 hashes. The Project's
/// spec is never touched. Exit code 0 marked, 1 refused (nothing to collect, or the Secret holds another deployment's keys than
/// --deployment: nothing written), 2 bad input or cluster unreachable.
/// </summary>
internal static partial class KeysCommand
{
    public static Command Create(TimeProvider clock)
    {
        var command = new Command("keys", "The API keys of a Project handed over in its Secret.");
        var collected = new Command("collected",
            "Mark the plaintext API keys in the Project's Secret as collected: the operator then deletes them from the Secret (only their SHA-256 stays) until the next deployment hands over new ones.");
        var @namespace = new Option<string>("--namespace", "-n") { Description = "The Project's namespace.", Required = true };
        var project = new Option<string>("--project", "-p") { Description = "The Project's name.", Required = true };
        var deployment = new Option<string?>("--deployment")
        {
            Description = "Only when the Secret still holds the keys of this deployment (its openkbs.com/deployment annotation, the value the client read the keys with); refused otherwise.",
        };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "kubeconfig of the cluster (default: $KUBECONFIG, ~/.kube/config, or in-cluster)." };
        collected.Options.Add(@namespace);
        collected.Options.Add(project);
        collected.Options.Add(deployment);
        collected.Options.Add(kubeconfig);
        collected.SetAction(async (parseResult, cancellationToken) =>
        {
            if (await KubeConfigs.ResolveAsync(parseResult.GetValue(kubeconfig), "openkbs keys collected", Console.Error) is not { } config)
            {
                return 2;
            }

            using var kubernetes = new Kubernetes(config);
            return await CollectedAsync(
                kubernetes, parseResult.GetValue(@namespace)!, parseResult.GetValue(project)!, parseResult.GetValue(deployment), clock.GetUtcNow(),
                Console.Out, Console.Error, cancellationToken);
        });
        command.Subcommands.Add(collected);
        return command;
    }

    /// <summary>Marks the Project's API-key Secret collected (see the class summary); returns the exit code.</summary>
    public static async Task<int> CollectedAsync(
        IKubernetes kubernetes, string @namespace, string project, string? deployment, DateTimeOffset now, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        const string Verb = "openkbs keys collected";
        if (@namespace is not { Length: > 0 and <= 63 } || !NamespacePattern().IsMatch(@namespace)
            || project is not { Length: > 0 and <= 253 } || !ObjectNamePattern().IsMatch(project) || deployment is { Length: 0 or > 128 })
        {
            await error.WriteLineAsync($"{Verb}: --namespace must be a namespace name, --project an object name and --deployment (when given) 1..128 characters; nothing was written");
            return 2;
        }

        try
        {
            Project? read;
            try
            {
                var json = (JsonElement)await kubernetes.CustomObjects.GetNamespacedCustomObjectAsync(
                    ApiGroup.Name, ApiGroup.Version, @namespace, Project.KubePlural, project, cancellationToken: cancellationToken);
                read = KubernetesJson.Deserialize<Project>(json.GetRawText());
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                read = null;
            }

            if (read?.Status?.ApiKeys?.FirstOrDefault(k => k.SecretRef?.Name is not null)?.SecretRef!.Name is not { } secretName)
            {
                await error.WriteLineAsync($"{Verb}: Project {@namespace}/{project} has handed over no API keys (status.apiKeys names no Secret); nothing was written");
                return 1;
            }

            var secret = await kubernetes.CoreV1.ReadNamespacedSecretAsync(secretName, @namespace, cancellationToken: cancellationToken);
            var annotations = secret.Metadata.Annotations ?? new Dictionary<string, string>();
            var plaintext = (secret.Data ?? new Dictionary<string, byte[]>()).Keys.Where(IsPlaintextEntry).Order(StringComparer.Ordinal).ToList();
            if (!annotations.TryGetValue(Annotations.Deployment, out var holds) || plaintext.Count == 0)
            {
                await error.WriteLineAsync($"{Verb}: Secret {@namespace}/{secretName} holds no plaintext key (already collected, or none handed over yet); nothing was written");
                return 1;
            }

            if (deployment is not null && deployment != holds)
            {
                await error.WriteLineAsync(
                    $"{Verb}: Secret {@namespace}/{secretName} holds the keys of deployment {holds}, not {deployment}: new keys were handed over since; collect them first. Nothing was written");
                return 1;
            }

            annotations[Annotations.KeysCollected] = holds;
            secret.Metadata.Annotations = annotations;
            // The read's resourceVersion is the precondition: keys handed over meanwhile are never marked by this call.
            await kubernetes.CoreV1.ReplaceNamespacedSecretAsync(secret, secretName, @namespace, cancellationToken: cancellationToken);
            var stamp = now.ToString("O", CultureInfo.InvariantCulture);
            var patch = new V1Patch(
                JsonSerializer.Serialize(new { metadata = new { annotations = new Dictionary<string, string> { [Annotations.ReconcileRequestedAt] = stamp } } }),
                V1Patch.PatchType.MergePatch);
            await kubernetes.CustomObjects.PatchNamespacedCustomObjectAsync(patch, ApiGroup.Name, ApiGroup.Version, @namespace, Project.KubePlural, project, cancellationToken: cancellationToken);
            await output.WriteLineAsync(
                $"marked the keys of deployment {holds} ({string.Join(", ", plaintext)}) in Secret {@namespace}/{secretName} collected; the operator deletes their plaintext on its next pass (status.apiKeys[].plaintextDeletedAt)");
            return 0;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            await error.WriteLineAsync($"{Verb}: the Secret changed while it was being marked (new keys handed over?); read the keys again, then retry. Nothing was marked");
            return 1;
        }
        catch (HttpOperationException ex)
        {
            await error.WriteLineAsync($"{Verb}: the API server answered {(int)ex.Response.StatusCode}; nothing was marked");
            return 2;
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"{Verb}: cannot reach the API server: {ex.Message}");
            return 2;
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex NamespacePattern();

    [GeneratedRegex(Patterns.ObjectName)]
    private static partial Regex ObjectNamePattern();

    /// <summary>A data entry holding a plaintext key (not the sealed staged keys, not a collected key's hash).</summary>
    private static bool IsPlaintextEntry(string entry) => !entry.Contains('.', StringComparison.Ordinal);
}
