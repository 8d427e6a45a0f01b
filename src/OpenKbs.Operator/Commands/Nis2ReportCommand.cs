using System.CommandLine;
using System.Text.RegularExpressions;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenKbs.AuditTrail;
using OpenKbs.Aws;
using OpenKbs.Aws.Clients;
using OpenKbs.Controllers.Shared;
using OpenKbs.Operator.Nis2;

namespace OpenKbs.Operator.Commands;

/// <summary>
/// `openkbs nis2 report --namespace N [--format md|json] [--output FILE] [--connection-string CS] [--kubeconfig PATH] [--no-aws]`: a
/// report answering each NIS2 Art. 21(2)(a)-(j) measure for the client of namespace N with the evidence read at that moment (its
/// objects' status, what AWS says about their resources through the account's access role (<see cref="Nis2Live"/>: read-only,
/// STS AssumeRole 900 s, the account's EU region; AWS settings as `openkbs run`: OPENKBS_Aws__*, AWS_ENDPOINT_URL, the credential
/// chain), the audit store and its incident records), each marked evidenced, partly or not covered, sealed with the SHA-256 of its
/// content; the seal is listed in the audit store (<c>report_seal</c>) so a later copy can be checked (<c>openkbs nis2 check</c>).
/// Exit code 0 when written (and listed, with a store), 1 when written but the seal could not be listed, 2 when the input is bad
/// or the API server cannot be read (nothing is written then).
/// </summary>
internal static partial class Nis2ReportCommand
{
    public static Command Create(TimeProvider clock)
    {
        var @namespace = new Option<string>("--namespace", "-n") { Description = "The client's namespace (its ClientAccount, Projects, AuditRuns, AccountTransfers).", Required = true };
        var outputFile = new Option<string?>("--output", "-o") { Description = "File to write (default: standard output)." };
        var format = new Option<string>("--format") { Description = "md (Markdown, default) or json.", DefaultValueFactory = _ => "md" };
        var connection = AuditStoreConnection.Option();
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "kubeconfig to read the cluster with (default: $KUBECONFIG, ~/.kube/config, or in-cluster)." };
        var anchorBucket = AuditAnchors.Option();
        var noAws = new Option<bool>("--no-aws") { Description = "Do not read AWS: every AWS item is then reported 'not verified live' (the status is shown, never as AWS's answer)." };
        var command = new Command("report", "Write a Markdown report answering NIS2 Art. 21(2)(a)-(j) for one client namespace with the evidence read live from AWS, the cluster and the audit store.")
        {
            @namespace, format, outputFile, connection, kubeconfig, noAws, anchorBucket,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (await KubeConfigs.ResolveAsync(parseResult.GetValue(kubeconfig), "openkbs nis2 report", Console.Error) is not { } config)
            {
                return 2;
            }

            using var kubernetes = new Kubernetes(config);
            var (anchors, owner) = AuditAnchors.Open(parseResult.GetValue(anchorBucket));
            await using var disposing = owner;
            if (parseResult.GetValue(noAws))
            {
                return await RunAsync(
                    kubernetes, parseResult.GetValue(connection), parseResult.GetValue(@namespace)!, parseResult.GetValue(format)!, parseResult.GetValue(outputFile),
                    clock.GetUtcNow(), Console.Out, Console.Error, null, anchors, cancellationToken);
            }

            // The AWS access layer as `openkbs run` configures it (section Aws from OPENKBS_Aws__*; AWS_ENDPOINT_URL and the credential chain).
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables("OPENKBS_").Build();
            var services = new ServiceCollection().AddLogging();
            services.AddOpenKbsAws(options => AwsRegistration.Bind(options, configuration.GetSection(AwsOptions.SectionName)));
            await using var provider = services.BuildServiceProvider();
            IAwsClientFactory aws;
            try
            {
                aws = provider.GetRequiredService<IAwsClientFactory>();
            }
            catch (OptionsValidationException ex)
            {
                await Console.Error.WriteLineAsync($"openkbs nis2 report: invalid AWS settings: {string.Join("; ", ex.Failures)}");
                return 2;
            }

            return await RunAsync(
                kubernetes, parseResult.GetValue(connection), parseResult.GetValue(@namespace)!, parseResult.GetValue(format)!, parseResult.GetValue(outputFile),
                clock.GetUtcNow(), Console.Out, Console.Error, aws, anchors, cancellationToken);
        });
        return command;
    }

    /// <summary>The Markdown report (as <c>--format md</c>) without reading AWS (as <c>--no-aws</c>).</summary>
    public static Task<int> RunAsync(
        IKubernetes kubernetes, string? connectionString, string @namespace, string? outputFile, DateTimeOffset now, TextWriter output, TextWriter error,
        CancellationToken cancellationToken) =>
        RunAsync(kubernetes, connectionString, @namespace, "md", outputFile, now, output, error, null, cancellationToken);

    /// <summary>The report in <paramref name="format"/>; <paramref name="aws"/> is the AWS access layer to read live evidence with
    /// (null: AWS is not read, every AWS item "not verified live", as <c>--no-aws</c>).</summary>
    public static Task<int> RunAsync(
        IKubernetes kubernetes, string? connectionString, string @namespace, string format, string? outputFile, DateTimeOffset now, TextWriter output, TextWriter error,
        IAwsClientFactory? aws, CancellationToken cancellationToken) =>
        RunAsync(kubernetes, connectionString, @namespace, format, outputFile, now, output, error, aws, null, cancellationToken);

    /// <summary>As above; <paramref name="anchors"/>: where the audit chains' heads are anchored (null: the report says they are not).</summary>
    public static async Task<int> RunAsync(
        IKubernetes kubernetes, string? connectionString, string @namespace, string format, string? outputFile, DateTimeOffset now, TextWriter output, TextWriter error,
        IAwsClientFactory? aws, IChainAnchorSink? anchors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (format is not ("md" or "json"))
        {
            await error.WriteLineAsync($"openkbs nis2 report: --format '{format}' is not md or json");
            return 2;
        }

        if (string.IsNullOrEmpty(@namespace) || @namespace.Length > 63 || !NamespacePattern().IsMatch(@namespace))
        {
            await error.WriteLineAsync($"openkbs nis2 report: --namespace '{@namespace}' is not a namespace name (lowercase letters, digits, '-', at most 63)");
            return 2;
        }

        Nis2Evidence evidence;
        try
        {
            evidence = await Nis2Evidence.CollectAsync(kubernetes, @namespace, connectionString, anchors, cancellationToken);
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

        evidence = evidence with
        {
            Live = aws is null ? Nis2Live.NotReadAt("AWS not read (--no-aws)") : await Nis2Live.ReadAsync(aws, evidence, cancellationToken),
        };
        var measures = Nis2Assessment.Assess(evidence, now);
        var report = format == "json" ? Nis2Json.Render(evidence, measures, now) : Nis2Markdown.Render(evidence, measures, now);
        var seal = Nis2Check.SealOf(report)!.Value.Claimed;
        if (outputFile is null)
        {
            await output.WriteAsync(report);
        }
        else
        {
            await File.WriteAllTextAsync(outputFile, report, cancellationToken);
        }

        var counts = measures.GroupBy(m => m.Verdict).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Nis2Markdown.Word(g.Key)}");
        await error.WriteLineAsync($"NIS2 report for namespace {@namespace}{(outputFile is null ? string.Empty : " written to " + outputFile)}: {string.Join(", ", counts)}; "
            + $"sealed SHA-256 {seal}");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await error.WriteLineAsync("the seal is not listed anywhere (no audit store given): keep the report with its seal");
            return 0;
        }

        try
        {
            await using var source = NpgsqlDataSource.Create(connectionString);
            await PostgresIncidentStore.RecordSealAsync(source, seal, @namespace, "nis2", format, now, Environment.UserName, cancellationToken);
            await error.WriteLineAsync("seal listed in the audit store (openkbs_audit.report_seal)");
            return 0;
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or TimeoutException)
        {
            await error.WriteLineAsync($"openkbs nis2 report: the report is written but its seal could not be listed in the audit store: {ex.Message}");
            return 1;
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex NamespacePattern();
}
