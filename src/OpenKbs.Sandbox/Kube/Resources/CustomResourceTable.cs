using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>
/// The table of a custom resource, as apiextensions' tableconvertor builds it: a Name column, then the CRD's
/// additionalPrinterColumns (or a default Age column when there are none). String columns print the value with Go's %v;
/// integer/number/boolean columns carry typed cells; date columns carry the server-computed age (ShortHumanDuration).
/// </summary>
internal sealed class CustomResourceTable : TableConverter
{
    private readonly List<PrinterColumn> _columns;

    public CustomResourceTable(IEnumerable<PrinterColumn> additional)
    {
        _columns = [new PrinterColumn("Name", "string", "name", NameDescription, 0, null)];
        var extra = additional.ToList();
        if (extra.Count == 0)
        {
            extra.Add(new PrinterColumn("Age", "date", string.Empty, CreationTimestampDescription, 0, KubeJsonPath.Parse(".metadata.creationTimestamp")));
        }

        _columns.AddRange(extra);
    }

    public override IReadOnlyList<PrinterColumn> Columns => _columns;

    public static PrinterColumn FromCrd(JsonObject column)
    {
        var name = KubeJson.GetString(column, "name") ?? string.Empty;
        var path = KubeJson.GetString(column, "jsonPath") ?? string.Empty;
        var description = KubeJson.GetString(column, "description");
        _ = KubeJsonPath.TryParse(path, out var parsed);
        return new PrinterColumn(
            name,
            KubeJson.GetString(column, "type") ?? "string",
            KubeJson.GetString(column, "format") ?? string.Empty,
            string.IsNullOrEmpty(description) ? $"Custom resource definition column (in JSONPath format): {path}" : description,
            (int)(KubeJson.GetLong(column, "priority") ?? 0),
            parsed);
    }

    public override JsonArray Cells(JsonObject obj, DateTimeOffset now)
    {
        var cells = new JsonArray { KubeJson.GetString(obj, "metadata", "name") ?? string.Empty };
        for (var i = 1; i < _columns.Count; i++)
        {
            var column = _columns[i];
            var results = column.Path?.Evaluate(obj) ?? [];
            if (results.Count == 0)
            {
                cells.Add(null);
                continue;
            }

            var value = results[0];
            cells.Add(column.Type == "string" ? (value is null ? null : JsonValue.Create(GoFormat.Print(value))) : Typed(column.Type, value, now));
        }

        return cells;
    }

    private static JsonValue? Typed(string type, JsonNode? value, DateTimeOffset now)
    {
        if (value is not JsonValue v)
        {
            return null;
        }

        switch (type)
        {
            case "integer":
                if (v.TryGetValue<long>(out var l))
                {
                    return JsonValue.Create(l);
                }

                if (v.TryGetValue<double>(out var d))
                {
                    return JsonValue.Create((long)d);
                }

                return null;
            case "number":
                return v.TryGetValue<double>(out var n) ? JsonValue.Create(n) : null;
            case "boolean":
                return v.TryGetValue<bool>(out var b) ? JsonValue.Create(b) : null;
            case "date":
                if (v.TryGetValue<string>(out var s))
                {
                    return KubeJson.TryParseTime(s, out var t) ? JsonValue.Create(HumanDuration.Short(now - t)) : JsonValue.Create("<invalid>");
                }

                return null;
            default:
                return null;
        }
    }
}
