using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>A Table column: definition (name/type/format/description/priority) and the JSONPath that fills it.</summary>
internal sealed record PrinterColumn(string Name, string Type, string Format, string Description, int Priority, KubeJsonPath? Path);
