using System.Reflection;
using System.Text.Json.Serialization;

namespace OpenKbs.Runtime.Controllers;

/// <summary>
/// What the runtime knows about a kind's status type, found by reflection once: the <c>Status</c> property and whether the
/// status has <c>LastHandledReconcileAt</c> (string) and <c>ObservedGeneration</c> (number) fields, with their JSON names.
/// This keeps the runtime free of the API types: those fields are set at the JSON level.
/// </summary>
internal sealed record StatusShape(PropertyInfo? StatusProperty, string? LastHandledReconcileAtJson, string? ObservedGenerationJson)
{
    public static StatusShape For(Type resourceType)
    {
        var status = resourceType.GetProperty("Status", BindingFlags.Public | BindingFlags.Instance);
        if (status is null)
        {
            return new StatusShape(null, null, null);
        }

        var props = status.PropertyType.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        var lastHandled = props.FirstOrDefault(p => p.Name == "LastHandledReconcileAt" && p.PropertyType == typeof(string));
        var observed = props.FirstOrDefault(p => p.Name == "ObservedGeneration"
            && (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType) is var t && (t == typeof(long) || t == typeof(int)));
        return new StatusShape(status, JsonName(lastHandled), JsonName(observed));
    }

    private static string? JsonName(PropertyInfo? property)
        => property is null
            ? null
            : property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(property.Name);
}
