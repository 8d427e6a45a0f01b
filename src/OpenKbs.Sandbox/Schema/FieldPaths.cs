using System.Globalization;

namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// field.Path rendering: children joined by '.', list indices as "[3]", map keys as "[key]". A null parent is the
/// nil path; <see cref="Render"/> turns it into "&lt;nil&gt;" like apimachinery.
/// </summary>
internal static class FieldPaths
{
    public static string Child(string? parent, string name) => string.IsNullOrEmpty(parent) ? name : parent + "." + name;

    public static string Index(string? parent, int index) => (parent ?? "") + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    public static string Key(string? parent, string key) => (parent ?? "") + "[" + key + "]";

    public static string Render(string? path) => string.IsNullOrEmpty(path) ? FieldError.NilField : path;
}
