using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Schema;

namespace OpenKbs.Sandbox.Tests.Schema;

/// <summary>field.Error.Error() byte for byte, with the Go formatting of values (%q, %v, %#v).</summary>
public sealed class FieldErrorFormatTests
{
    public static TheoryData<FieldError, string> Errors => new()
    {
        { FieldError.Invalid("spec.replicas", JsonValue.Create("string"), "spec.replicas in body must be of type integer: \"string\""), "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"" },
        { FieldError.Invalid("spec.x", JsonNode.Parse("11"), "spec.x in body should be less than or equal to 10"), "spec.x: Invalid value: 11: spec.x in body should be less than or equal to 10" },
        { FieldError.Invalid("spec.x", JsonNode.Parse("1.5"), "d"), "spec.x: Invalid value: 1.5: d" },
        { FieldError.Invalid("spec.x", JsonNode.Parse("true"), "d"), "spec.x: Invalid value: true: d" },
        { FieldError.Invalid("spec.x", null, "d"), "spec.x: Invalid value: \"null\": d" },
        { FieldError.Invalid("spec.x", JsonValue.Create("object"), "path or url must be defined"), "spec.x: Invalid value: \"object\": path or url must be defined" },
        { FieldError.Required("spec.name", ""), "spec.name: Required value" },
        { FieldError.Required("metadata.name", "name or generateName is required"), "metadata.name: Required value: name or generateName is required" },
        { FieldError.Forbidden("metadata.namespace", "not allowed on this type"), "metadata.namespace: Forbidden: not allowed on this type" },
        { FieldError.NotSupported("spec.strategy", JsonValue.Create("yolo"), ["local", "distributed"]), "spec.strategy: Unsupported value: \"yolo\": supported values: \"local\", \"distributed\"" },
        { FieldError.TooLong("spec.parentRefs[0].name", 253), "spec.parentRefs[0].name: Too long: may not be more than 253 bytes" },
        { FieldError.TooLong("spec.code", 1), "spec.code: Too long: may not be more than 1 byte" },
        { FieldError.TooMany("spec.functions", 21, 20), "spec.functions: Too many: 21: must have at most 20 items" },
        { FieldError.TooMany("spec.trustedUrls", 2, 1), "spec.trustedUrls: Too many: 2: must have at most 1 item" },
        { FieldError.Duplicate("spec.names[1]", JsonValue.Create("bank")), "spec.names[1]: Duplicate value: \"bank\"" },
        { FieldError.Duplicate("spec.ports[1]", JsonNode.Parse("{\"port\":80,\"name\":\"http\"}")), "spec.ports[1]: Duplicate value: map[string]interface {}{\"name\":\"http\", \"port\":80}" },
        { FieldError.Invalid(FieldError.NilField, null, "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"), "<nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation" },
        { FieldError.Invalid("spec.tags", JsonNode.Parse("[\"a\",1,null]"), "d"), "spec.tags: Invalid value: []interface {}{\"a\", 1, interface {}(nil)}: d" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Error_renders_like_apimachinery(FieldError error, string expected) => Assert.Equal(expected, error.ToString());

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("quote\"and\\slash", "\"quote\\\"and\\\\slash\"")]
    [InlineData("tab\tnew\nline", "\"tab\\tnew\\nline\"")]
    [InlineData("ünïcødé ✓", "\"ünïcødé ✓\"")]
    [InlineData("\u0001", "\"\\x01\"")]
    [InlineData("\u00a0", "\"\\u00a0\"")]
    public void Quote_matches_strconv_Quote(string input, string expected) => Assert.Equal(expected, GoFormat.Quote(input));

    [Theory]
    [InlineData(10.0, "10")]
    [InlineData(1.5, "1.5")]
    [InlineData(123456.0, "123456")]
    [InlineData(1000000.0, "1e+06")]
    [InlineData(1234567.0, "1.234567e+06")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.1, "0.1")]
    public void Float_matches_go_percent_v(double value, string expected) => Assert.Equal(expected, GoFormat.Float(value));

    [Theory]
    [InlineData(FieldErrorType.Invalid, "FieldValueInvalid")]
    [InlineData(FieldErrorType.TypeInvalid, "FieldValueTypeInvalid")]
    [InlineData(FieldErrorType.Required, "FieldValueRequired")]
    [InlineData(FieldErrorType.NotSupported, "FieldValueNotSupported")]
    [InlineData(FieldErrorType.TooLong, "FieldValueTooLong")]
    [InlineData(FieldErrorType.TooMany, "FieldValueTooMany")]
    [InlineData(FieldErrorType.Duplicate, "FieldValueDuplicate")]
    [InlineData(FieldErrorType.Forbidden, "FieldValueForbidden")]
    public void Reason_is_the_cause_type(FieldErrorType type, string reason) => Assert.Equal(reason, type.Reason());
}
