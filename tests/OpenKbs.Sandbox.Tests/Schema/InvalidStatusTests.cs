using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Schema;

namespace OpenKbs.Sandbox.Tests.Schema;

public sealed class InvalidStatusTests
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void Single_error_is_printed_bare()
    {
        var status = InvalidStatus.Build("openkbs.com", "ClientAccount", "acme", [FieldError.NotSupported("spec.region", JsonValue.Create("us-east-1"), ["eu-central-1", "eu-west-1"])]);

        const string expected = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ClientAccount.openkbs.com \"acme\" is invalid: spec.region: Unsupported value: \"us-east-1\": supported values: \"eu-central-1\", \"eu-west-1\"","reason":"Invalid","details":{"name":"acme","group":"openkbs.com","kind":"ClientAccount","causes":[{"reason":"FieldValueNotSupported","message":"Unsupported value: \"us-east-1\": supported values: \"eu-central-1\", \"eu-west-1\"","field":"spec.region"}]},"code":422}
            """;
        Assert.Equal(expected, status.ToJsonString(Relaxed));
    }

    [Fact]
    public void Several_errors_are_bracketed_and_deduplicated_in_the_message_but_not_in_causes()
    {
        var duplicate = FieldError.Required("spec.name", "");
        var status = InvalidStatus.Build("openkbs.com", "Project", "shop", [duplicate, FieldError.TooLong("spec.title", 63), duplicate]);

        Assert.Equal("Project.openkbs.com \"shop\" is invalid: [spec.name: Required value, spec.title: Too long: may not be more than 63 bytes]", (string?)status["message"]);
        Assert.Equal(3, status["details"]!["causes"]!.AsArray().Count);
        Assert.Equal("FieldValueTooLong", (string?)status["details"]!["causes"]![1]!["reason"]);
        Assert.Equal("Too long: may not be more than 63 bytes", (string?)status["details"]!["causes"]![1]!["message"]);
    }

    [Fact]
    public void Core_group_and_empty_name_are_omitted()
    {
        var status = InvalidStatus.Build("", "ConfigMap", "", []);

        Assert.Equal("ConfigMap \"\" is invalid", (string?)status["message"]);
        Assert.Equal("""{"kind":"ConfigMap","causes":[]}""", status["details"]!.ToJsonString());
    }
}
