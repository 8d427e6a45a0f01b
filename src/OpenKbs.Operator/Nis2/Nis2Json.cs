using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using OpenKbs.Aws.Audit;

namespace OpenKbs.Operator.Nis2;

/// <summary>
/// The NIS2 report as one JSON object (the same content as the Markdown: sources, the ten measures with verdict, reason, evidence
/// and what stays with the client, the namespace's incidents with their Art. 23 deadlines, what is not checked) ending with
/// <c>"sha256"</c>: the SHA-256 of the object written compactly without that member, i.e. of exactly the file's bytes before
/// <c>,"sha256":</c> plus a closing brace. <c>jq -cj 'del(.sha256)' report.json | sha256sum</c> gives it back.
/// </summary>
internal static class Nis2Json
{
    public const string SealMember = "sha256";

    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static string Render(Nis2Evidence evidence, IReadOnlyList<Nis2Measure> measures, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(measures);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Compact))
        {
            json.WriteStartObject();
            json.WriteString("report", "NIS2 Art. 21(2) evidence");
            json.WriteString("namespace", evidence.Namespace);
            json.WriteString("generatedAt", Nis2Assessment.Time(now.UtcDateTime));
            json.WriteString("generator", "openkbs nis2 report");
            json.WriteStartObject("sources");
            json.WriteNumber("clientAccounts", evidence.Accounts.Count);
            json.WriteNumber("projects", evidence.Projects.Count);
            json.WriteNumber("auditRuns", evidence.AuditRuns.Count);
            json.WriteNumber("accountTransfers", evidence.Transfers.Count);
            json.WriteBoolean("auditStore", evidence.AuditTrail.Configured);
            json.WriteString("aws", Nis2Markdown.AwsSource(evidence.Live));
            json.WriteEndObject();
            json.WriteStartArray("measures");
            foreach (var m in measures)
            {
                json.WriteStartObject();
                json.WriteString("letter", m.Letter.ToString());
                json.WriteString("title", m.Title);
                json.WriteString("verdict", Nis2Markdown.Word(m.Verdict));
                json.WriteString("reason", m.Reason);
                json.WriteStartArray("evidence");
                foreach (var line in m.Evidence)
                {
                    json.WriteStringValue(line);
                }

                json.WriteEndArray();
                json.WriteString("outsideOperator", m.OutsideOperator);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("incidents");
            foreach (var incident in evidence.AuditTrail.Incidents)
            {
                WriteIncident(json, incident, now);
            }

            json.WriteEndArray();
            json.WriteStartArray("notChecked");
            foreach (var line in Nis2Markdown.NotChecked(evidence))
            {
                json.WriteStringValue(line);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        var content = Encoding.UTF8.GetString(buffer.ToArray());
        return content[..^1] + ",\"" + SealMember + "\":\"" + Nis2Markdown.Seal(content) + "\"}\n";
    }

    /// <summary>The seal a JSON report carries and the one its content gives, or null when <paramref name="text"/> is not a sealed report.</summary>
    public static (string Claimed, string Actual)? Check(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var marker = ",\"" + SealMember + "\":\"";
        var at = text.LastIndexOf(marker, StringComparison.Ordinal);
        var trimmed = text.TrimEnd('\n');
        if (at < 0 || !trimmed.EndsWith("\"}", StringComparison.Ordinal) || trimmed.Length - at - marker.Length - 2 != 64)
        {
            return null;
        }

        return (trimmed.Substring(at + marker.Length, 64), Nis2Markdown.Seal(text[..at] + "}"));
    }

    private static void WriteIncident(Utf8JsonWriter json, Incident incident, DateTimeOffset now)
    {
        json.WriteStartObject();
        json.WriteNumber("id", incident.Id);
        json.WriteString("state", incident.State);
        json.WriteString("cause", incident.Cause);
        json.WriteString("subject", incident.Subject);
        if (incident.Resource is { } resource)
        {
            json.WriteString("resource", resource);
        }

        json.WriteString("summary", incident.Summary);
        json.WriteString("detectedAt", Nis2Assessment.Time(incident.DetectedAt.UtcDateTime));
        json.WriteStartArray("deadlines");
        foreach (var (name, due) in incident.Deadlines)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("due", Nis2Assessment.Time(due.UtcDateTime));
            json.WriteString("clock", Commands.IncidentCommand.Clock(due, now, incident.IsOpen));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (incident.AcknowledgedAt is { } acknowledged)
        {
            json.WriteString("acknowledgedAt", Nis2Assessment.Time(acknowledged.UtcDateTime));
            json.WriteString("acknowledgedBy", incident.AcknowledgedBy);
        }

        if (incident.CauseClearedAt is { } cleared)
        {
            json.WriteString("causeClearedAt", Nis2Assessment.Time(cleared.UtcDateTime));
            json.WriteString("causeClearedBy", incident.CauseClearedBy);
            json.WriteString("causeClearedHow", incident.CauseClearedHow);
        }

        if (incident.ClosedAt is { } closed)
        {
            json.WriteString("closedAt", Nis2Assessment.Time(closed.UtcDateTime));
            json.WriteString("closedBy", incident.ClosedBy);
        }

        json.WriteEndObject();
    }
}
