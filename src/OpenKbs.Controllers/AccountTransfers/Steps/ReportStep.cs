using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Controllers.AccountTransfers.Inventory;
using OpenKbs.Controllers.Shared.Recipes;

namespace OpenKbs.Controllers.AccountTransfers.Steps;

/// <summary>
/// Right after the removal, while the access role still works: the inventory is taken again and compared with the one of the
/// preflight, and the hand-over report (JSON and Markdown, each hashed) is written into the client's own account, the first
/// held project's bucket under <c>openkbs-handover/</c> (the transfer's own and last AWS writes), and summarised in the
/// transfer's ConfigMap with both hashes. Without a project bucket the whole report stays in the ConfigMap.
/// </summary>
internal sealed class ReportStep : IRecipeStep<TransferPass>
{
    public const string KeyPrefix = "openkbs-handover/";

    public string Name => "report";

    public string? ConditionType => null;

    public async Task<StepOutcome> RunAsync(TransferPass pass, CancellationToken cancellationToken)
    {
        var status = pass.Status;
        if (status.Report?.WrittenAt is not null)
        {
            return StepOutcome.Ready("the hand-over report is written");
        }

        pass.Step(TransferStepName.HandOverReport, TransferStepState.InProgress, "taking the inventory again and writing the hand-over report");
        var member = pass.Member();
        var before = await HandOverStore.ReadAsync(pass, HandOverStore.BeforeKey, cancellationToken)
            ?? throw new InvalidOperationException($"the preflight inventory is missing from ConfigMap {HandOverStore.NameOf(pass.Name)}");
        var buckets = pass.HeldBuckets.ToList();
        var after = await HandOverStore.ReadAsync(pass, HandOverStore.AfterKey, cancellationToken)
            ?? await InventoryCollector.CollectAsync(member, buckets, pass.Now, cancellationToken);
        var location = buckets.Count == 0 ? null : new S3Location { Bucket = buckets.Order(StringComparer.Ordinal).First(), Key = $"{KeyPrefix}{pass.Name}-{pass.Resource.Metadata.Uid?[..8]}" };
        var facts = new HandOverFacts
        {
            Namespace = pass.Namespace,
            AccountTransfer = pass.Name,
            ClientAccount = pass.Spec.ClientAccountRef.Name,
            AccountId = pass.AccountId,
            NewRootEmail = pass.Spec.NewRootEmail,
            Region = status.Region!,
            RemovedAt = status.RemovedAt is { } removed ? new DateTimeOffset(DateTime.SpecifyKind(removed, DateTimeKind.Utc)) : null,
            GeneratedAt = pass.Now,
            Before = before,
            After = after,
            Steps = [.. status.Steps ?? []],
            NextSteps = NextSteps(pass, location),
        };
        var report = HandOverReport.Build(facts);
        if (location is not null)
        {
            await member.S3.PutObjectAsync(new PutObjectRequest { BucketName = location.Bucket, Key = location.Key + ".json", ContentBody = System.Text.Encoding.UTF8.GetBytes(report.Json), ContentType = "application/json" }, cancellationToken);
            await member.S3.PutObjectAsync(new PutObjectRequest { BucketName = location.Bucket, Key = location.Key + ".md", ContentBody = System.Text.Encoding.UTF8.GetBytes(report.Markdown), ContentType = "text/markdown" }, cancellationToken);
        }

        var entries = new Dictionary<string, string>
        {
            [HandOverStore.AfterKey] = HandOverStore.Serialize(after),
            [HandOverStore.SummaryKey] = Summary(report, location),
            [HandOverStore.JsonSha256Key] = report.JsonSha256,
            [HandOverStore.MarkdownSha256Key] = report.MarkdownSha256,
            [HandOverStore.LocationKey] = location is null ? "ConfigMap (no project bucket)" : $"s3://{location.Bucket}/{location.Key}.json and .md in account {pass.AccountId}",
        };
        if (location is null)
        {
            entries[HandOverStore.ReportJsonKey] = report.Json;
        }

        await HandOverStore.WriteAsync(pass, entries, cancellationToken);
        status.Report = new TransferReportStatus
        {
            S3 = location,
            ConfigMapName = HandOverStore.NameOf(pass.Name),
            JsonSha256 = report.JsonSha256,
            MarkdownSha256 = report.MarkdownSha256,
            WrittenAt = pass.Now.UtcDateTime,
        };
        var verdict = report.Comparison.Matches ? "before and after match: nothing lost" : $"{report.Comparison.Differences.Count} difference(s): {string.Join("; ", report.Comparison.Differences)}";
        pass.Step(TransferStepName.HandOverReport, TransferStepState.Succeeded,
            $"report written ({(location is null ? "ConfigMap only" : $"s3://{location.Bucket}/{location.Key}.json|.md")}, JSON sha256 {report.JsonSha256}); {verdict}");
        await pass.SaveStatusAsync(cancellationToken);
        return StepOutcome.Ready("the hand-over report is written");
    }

    private static List<string> NextSteps(TransferPass pass, S3Location? location)
    {
        var steps = new List<string> { ClientActions.DeleteRole(pass.AccountId, pass.Status.AccessRoleName ?? ClientAccountSpec.DefaultAccessRoleName) };
        if (location is not null)
        {
            steps.Add($"Keep this report: s3://{location.Bucket}/{location.Key}.json and .md in your account; the SHA-256 of each is in ConfigMap {pass.Namespace}/{HandOverStore.NameOf(pass.Name)}.");
        }

        steps.Add("Review IAM users, roles and keys, billing alerts and the support plan: the account and everything in it (functions, buckets, databases, distributions, schedules) is yours and keeps running.");
        steps.Add("The region guardrail policy of the organization no longer applies: keep your data in the EU regions you use.");
        return steps;
    }

    private static string Summary(HandOverReport report, S3Location? location) =>
        $"# Hand-over report\n\n- JSON sha256: {report.JsonSha256}\n- Markdown sha256: {report.MarkdownSha256}\n- Stored: {(location is null ? "this ConfigMap (report.json)" : $"s3://{location.Bucket}/{location.Key}.json and .md")}\n"
        + $"- Before and after: {(report.Comparison.Matches ? "match, nothing lost" : string.Join("; ", report.Comparison.Differences))}\n";
}
