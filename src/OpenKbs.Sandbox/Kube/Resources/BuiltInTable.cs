using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>The table of a built-in kind: the columns kube-apiserver's printers define, with cell functions.</summary>
internal sealed class BuiltInTable : TableConverter
{
    private readonly List<(PrinterColumn Column, Func<JsonObject, DateTimeOffset, JsonNode?> Cell)> _columns = [];

    public BuiltInTable(params (string Name, string Type, string Description, int Priority, Func<JsonObject, DateTimeOffset, JsonNode?> Cell)[] columns)
    {
        foreach (var c in columns)
        {
            var format = c.Name == "Name" ? "name" : string.Empty;
            _columns.Add((new PrinterColumn(c.Name, c.Type, format, c.Description, c.Priority, null), c.Cell));
        }
    }

    public override IReadOnlyList<PrinterColumn> Columns => _columns.Select(c => c.Column).ToList();

    public override JsonArray Cells(JsonObject obj, DateTimeOffset now)
    {
        var cells = new JsonArray();
        foreach (var (_, cell) in _columns)
        {
            cells.Add(cell(obj, now));
        }

        return cells;
    }

    public static (string, string, string, int, Func<JsonObject, DateTimeOffset, JsonNode?>) NameColumn =>
        ("Name", "string", NameDescription, 0, (o, _) => JsonValue.Create(KubeJson.GetString(o, "metadata", "name") ?? string.Empty));

    public static (string, string, string, int, Func<JsonObject, DateTimeOffset, JsonNode?>) AgeColumn =>
        ("Age", "string", CreationTimestampDescription, 0, Age);

    /// <summary>The Age cell of built-in printers (duration.HumanDuration of creationTimestamp).</summary>
    public static JsonNode? Age(JsonObject obj, DateTimeOffset now) => Since(KubeJson.GetString(obj, "metadata", "creationTimestamp"), now);

    public static JsonNode? Since(string? timestamp, DateTimeOffset now) =>
        KubeJson.TryParseTime(timestamp, out var t) ? JsonValue.Create(HumanDuration.Long(now - t)) : JsonValue.Create("<unknown>");
}
