using OpenKbs.Api.Tests.Crds;

namespace OpenKbs.Api.Tests.Examples;

/// <summary>docs/api.md documents every field of every kind, so the reference cannot silently fall behind the types.</summary>
public sealed class ApiReferenceTests
{
    public static TheoryData<string> Kinds => new(CrdKinds.All);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_spec_field_is_in_the_kinds_table(string kind)
    {
        var section = Section(kind);
        var missing = Crds.Crds.Walk(Crds.Crds.Node(kind, "spec"), "spec")
            .Where(n => n.Node.Properties is null && (n.Node.Items as k8s.Models.V1JSONSchemaProps)?.Properties is null)
            .Select(n => n.Path)
            .Where(p => !p.EndsWith("[]", StringComparison.Ordinal) && !p.EndsWith("{}", StringComparison.Ordinal))
            .Where(p => !Ancestors(p).Any(a => section.Contains($"`{a}`", StringComparison.Ordinal)));

        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_status_field_is_named_in_the_kinds_section(string kind)
    {
        var section = Section(kind);
        var missing = Crds.Crds.Walk(Crds.Crds.Node(kind, "status"), "status")
            .Where(n => n.Path.Contains('.', StringComparison.Ordinal) && !n.Path.EndsWith("[]", StringComparison.Ordinal) && !n.Path.Contains("conditions[]", StringComparison.Ordinal))
            .Select(n => n.Path[(n.Path.LastIndexOf('.') + 1)..])
            .Where(name => !section.Contains($"`{name}`", StringComparison.Ordinal) && !section.Contains($"`{name}[]`", StringComparison.Ordinal));

        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_printer_column_is_named_in_the_kinds_section(string kind)
    {
        var section = Section(kind);
        var missing = Crds.Crds.Of(kind).Spec.Versions.Single().AdditionalPrinterColumns
            .Select(c => c.Name)
            .Where(c => !section.Contains(c, StringComparison.Ordinal))
            .ToList();

        Assert.Equal([], missing);
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var p = path; p.Contains('.', StringComparison.Ordinal); p = p[..p.LastIndexOf('.')])
        {
            yield return p;
        }
    }

    private static string Section(string kind)
    {
        var markdown = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "docs/api.md"));
        var start = markdown.IndexOf($"\n## {kind}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/api.md has no '## {kind}' section");
        var end = markdown.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return markdown[start..(end < 0 ? markdown.Length : end)];
    }
}
