namespace OpenKbs.Api.Schema;

/// <summary>
/// The reasons a CEL validation rule may report (apiextensions.k8s.io/v1 ValidationRule.reason). Each changes how
/// kubectl shows the error: "Invalid value: ...: message", "Forbidden: message", "Required value: message".
/// FieldValueDuplicate is left out on purpose: the API server prints only "Duplicate value: ..." and drops the message.
/// </summary>
public static class CelReasons
{
    public const string FieldValueInvalid = "FieldValueInvalid";
    public const string FieldValueForbidden = "FieldValueForbidden";
    public const string FieldValueRequired = "FieldValueRequired";
}
