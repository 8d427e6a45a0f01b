using System.CommandLine;
using System.Text.RegularExpressions;
using k8s;
using k8s.Autorest;
using OpenKbs.Operator.Nis2;

namespace OpenKbs.Operator.Commands;

/// <summary>
/// `openkbs nis2 report --namespace N [--output FILE] [--connection-string CS] [--kubeconfig PATH]`: a Markdown report answering
/// each NIS2 Art. 21(2)(a)-(j) measure for the client of namespace N with the evidence the operator holds (its objects' status
/// and the audit store), each marked evidenced, partly or not covered. Exit code 0 when written, 2 when the input is bad or the
/// API server cannot be read (nothing is written then).
/// </summary>
internal static partial class Nis2ReportCommand
{
    public static Command Create(TimeProvider clock)
    {
        var @namespace = new Option<string>("--namespace", "-n") { Description = "The client's namespace (its ClientAccount, Projects, AuditRuns, AccountTransfers).", Required = true };
        var outputFile = new Option<string?>("--output", "-o") { Description = "Markdown file to write (default: standard output)." };
        var connection = AuditStoreConnection.Option();
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "kubeconfig to read the cluster with (default: $KUBECONFIG, ~/.kube/config, or in-cluster)." };
        var command = new Command("report", "Write a Markdown report answering NIS2 Art. 21(2)(a)-(j) for one client namespace with the evidence the operator holds.")
        {
            @namespace, outputFile, connection, kubeconfig,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            KubernetesClientConfiguration config;
            try
            {
                var path = parseResult.GetValue(kubeconfig);
                config = !string.IsNullOrWhiteSpace(path) ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path)
                    : KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig()
                    : KubernetesClientConfiguration.BuildDefaultConfig();
            }
            catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or IOException)
            {
                await Console.Error.WriteLineAsync($"openkbs nis2 report: no cluster to read: {ex.Message}");
                return 2;
            }

            using var kubernetes = new Kubernetes(config);
            return await RunAsync(
                kubernetes, parseResult.GetValue(connection), parseResult.GetValue(@namespace)!, parseResult.GetValue(outputFile),
                clock.GetUtcNow(), Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(
        IKubernetes kubernetes, string? connectionString, string @namespace, string? outputFile, DateTimeOffset now, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (string.IsNullOrEmpty(@namespace) || @namespace.Length > 63 || !NamespacePattern().IsMatch(@namespace))
        {
            await error.WriteLineAsync($"openkbs nis2 report: --namespace '{@namespace}' is not a namespace name (lowercase letters, digits, '-', at most 63)");
            return 2;
        }

        Nis2Evidence evidence;
        try
        {
            evidence = await Nis2Evidence.CollectAsync(kubernetes, @namespace, connectionString, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException)
        {
            await error.WriteLineAsync($"openkbs nis2 report: cannot read namespace {@namespace} from the API server: {ex.Message}");
            return 2;
        }

        if (evidence.Accounts.Count == 0 && evidence.Projects.Count == 0)
        {
            await error.WriteLineAsync($"openkbs nis2 report: namespace {@namespace} holds no ClientAccount and no Project: nothing to report (is the name right?)");
            return 2;
        }

        var measures = Nis2Assessment.Assess(evidence, now);
        var markdown = Nis2Markdown.Render(evidence, measures, now);
        if (outputFile is null)
        {
            await output.WriteAsync(markdown);
        }
        else
        {
            await File.WriteAllTextAsync(outputFile, markdown, cancellationToken);
        }

        var counts = measures.GroupBy(m => m.Verdict).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Nis2Markdown.Word(g.Key)}");
        await error.WriteLineAsync($"NIS2 report for namespace {@namespace}{(outputFile is null ? string.Empty : " written to " + outputFile)}: {string.Join(", ", counts)}; "
            + $"sealed SHA-256 {markdown[(markdown.LastIndexOf(Nis2Markdown.SealPrefix, StringComparison.Ordinal) + Nis2Markdown.SealPrefix.Length)..].Trim()}");
        return 0;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex NamespacePattern();
}
