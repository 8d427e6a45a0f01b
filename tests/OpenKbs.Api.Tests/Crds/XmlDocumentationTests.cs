using System.Xml.Linq;
using OpenKbs.Api.Crds;

namespace OpenKbs.Api.Tests.Crds;

public sealed class XmlDocumentationTests
{
    public static TheoryData<string, string> Summaries => new()
    {
        { "<summary>\n  Plain   text\n  over lines.\n</summary>", "Plain text over lines." },
        { "<summary>Default <c>eu-central-1</c>.</summary>", "Default `eu-central-1`." },
        { "<summary>See <see cref=\"T:OpenKbs.Api.V1Alpha1.EuRegions\"/> and <see langword=\"true\"/>.</summary>", "See EuRegions and true." },
        { "<summary>First.<para>Second\n paragraph.</para></summary>", "First.\n\nSecond paragraph." },
    };

    [Theory]
    [MemberData(nameof(Summaries))]
    public void Summaries_render_as_plain_text(string summary, string expected)
    {
        var docs = XmlDocumentation.Parse(XDocument.Parse($"<doc><members><member name=\"T:OpenKbs.Api.ApiGroup\">{summary}</member></members></doc>"));

        Assert.Equal(expected, docs.Summary(typeof(ApiGroup)));
    }

    [Fact]
    public void A_missing_summary_fails_generation_with_the_type_named()
    {
        var docs = XmlDocumentation.Parse(XDocument.Parse("<doc><members/></doc>"));

        var error = Assert.Throws<InvalidOperationException>(() => new SchemaBuilder(docs).ForType(typeof(OpenKbs.Api.V1Alpha1.S3Location)));

        Assert.Matches("^S3Location.Bucket has no XML doc <summary>", error.Message);
    }
}
