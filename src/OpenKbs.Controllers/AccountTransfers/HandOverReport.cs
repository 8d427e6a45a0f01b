using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenKbs.Controllers.AccountTransfers.Inventory;

namespace OpenKbs.Controllers.AccountTransfers;

/// <summary>
/// The hand-over report, in JSON (for machines and regulators) and Markdown (for people), each with its SHA-256 (hex): the
/// account, the inventory before and after the removal and their comparison, every step with its time and message, and the
/// client's next steps. Deterministic: the same facts give the same bytes and hashes.
/// </summary>
internal sealed record HandOverReport(string Json, string Markdown, string JsonSha256, string MarkdownSha256, InventoryComparison Comparison)
{
    /// <summary>The report's format name in the JSON.</summary>
    public const string Format = "openkbs.com/account-hand-over/v1";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public static HandOverReport Build(HandOverFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var comparison = InventoryComparison.Of(facts.Before, facts.After);
        var json = JsonSerializer.Serialize(
            new
            {
                format = Format,
                @namespace = facts.Namespace,
                accountTransfer = facts.AccountTransfer,
                clientAccount = facts.ClientAccount,
                accountId = facts.AccountId,
                newRootEmail = facts.NewRootEmail,
                region = facts.Region,
                removedAt = facts.RemovedAt,
                generatedAt = facts.GeneratedAt,
                inventory = new { before = facts.Before, after = facts.After },
                comparison = new { matches = comparison.Matches, differences = comparison.Differences },
                steps = facts.Steps.Select(s => new { name = s.Name, state = s.State, lastTransitionTime = s.LastTransitionTime, message = s.Message }),
                nextSteps = facts.NextSteps,
            },
            JsonOptions) + "\n";
        var markdown = RenderMarkdown(facts, comparison);
        return new HandOverReport(json, markdown, Sha256(json), Sha256(markdown), comparison);
    }

    /// <summary>The lower-case hex SHA-256 of the UTF-8 text.</summary>
    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string RenderMarkdown(HandOverFacts facts, InventoryComparison comparison)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        Line($"# Hand-over of AWS account {facts.AccountId}");
        Line();
        Line($"- AccountTransfer: `{facts.Namespace}/{facts.AccountTransfer}`, ClientAccount `{facts.ClientAccount}`");
        Line($"- Root email: {facts.NewRootEmail}");
        Line($"- Home region: {facts.Region}");
        Line($"- Left the organization: {Time(facts.RemovedAt)}");
        Line($"- Report generated: {Time(facts.GeneratedAt)}");
        Line();
        Line("## Inventory");
        Line();
        Line($"Before ({Time(facts.Before.TakenAt)}): {facts.Before.Summary()}.");
        Line();
        Line($"After ({Time(facts.After.TakenAt)}): {facts.After.Summary()}.");
        Line();
        Line(comparison.Matches
            ? "Nothing was lost or changed: same function code, at least the same object versions, every database cluster available, every distribution, schedule and key in place."
            : "Differences:");
        foreach (var difference in comparison.Differences)
        {
            Line($"- {difference}");
        }

        Line();
        Table(md, "Functions", ["Name", "Code SHA-256 before", "Code SHA-256 after"],
            facts.Before.Functions.Select(f => new[] { f.Name, f.CodeSha256 ?? "-", facts.After.Functions.FirstOrDefault(a => a.Name == f.Name)?.CodeSha256 ?? "missing" }));
        Table(md, "Buckets", ["Name", "Objects before", "Versions before", "Objects after", "Versions after"],
            facts.Before.Buckets.Select(b => facts.After.Buckets.FirstOrDefault(a => a.Name == b.Name) is { } a
                ? new[] { b.Name, Num(b.Objects), Num(b.Versions), Num(a.Objects), Num(a.Versions) }
                : [b.Name, Num(b.Objects), Num(b.Versions), "missing", "missing"]));
        Table(md, "Database clusters", ["Identifier", "Status after", "Latest restorable before", "Latest restorable after"],
            facts.Before.DatabaseClusters.Select(c => facts.After.DatabaseClusters.FirstOrDefault(a => a.Identifier == c.Identifier) is { } a
                ? new[] { c.Identifier, a.Status ?? "-", Time(c.LatestRestorableTime), Time(a.LatestRestorableTime) }
                : [c.Identifier, "missing", Time(c.LatestRestorableTime), "-"]));
        Table(md, "Distributions", ["Id", "Domain", "Status after"],
            facts.Before.Distributions.Select(d => new[] { d.Id, d.DomainName ?? "-", facts.After.Distributions.FirstOrDefault(a => a.Id == d.Id)?.Status ?? "missing" }));
        Table(md, "Schedules", ["Group", "Name", "State after"],
            facts.Before.Schedules.Select(s => new[] { s.Group, s.Name, facts.After.Schedules.FirstOrDefault(a => a.Group == s.Group && a.Name == s.Name)?.State ?? "missing" }));
        Table(md, "Keys", ["Alias", "Key id", "State after"],
            facts.Before.Keys.Select(k => new[] { k.Alias, k.KeyId, facts.After.Keys.FirstOrDefault(a => a.Alias == k.Alias)?.State ?? "missing" }));
        Line("## Steps");
        Line();
        Line("| Step | State | Time | Message |");
        Line("|---|---|---|---|");
        foreach (var step in facts.Steps)
        {
            Line($"| {step.Name} | {step.State} | {Time(step.LastTransitionTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null)} | {Cell(step.Message ?? string.Empty)} |");
        }

        Line();
        Line("## Your next steps");
        Line();
        foreach (var (next, i) in facts.NextSteps.Select((n, i) => (n, i + 1)))
        {
            Line($"{i}. {next}");
        }

        return md.ToString();
    }

    private static void Table(StringBuilder md, string title, string[] header, IEnumerable<string[]> rows)
    {
        var list = rows.ToList();
        md.Append("### ").Append(title).Append("\n\n");
        if (list.Count == 0)
        {
            md.Append("None.\n\n");
            return;
        }

        md.Append("| ").AppendJoin(" | ", header).Append(" |\n|").AppendJoin("|", header.Select(_ => "---")).Append("|\n");
        foreach (var row in list)
        {
            md.Append("| ").AppendJoin(" | ", row.Select(Cell)).Append(" |\n");
        }

        md.Append('\n');
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";
}
