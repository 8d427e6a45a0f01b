namespace OpenKbs.Api.Schema;

/// <summary>The reasons a CEL validation rule may report (apiextensions.k8s.io/v1 ValidationRule.reason).</summary>
public static class CelReasons
{
    public const string FieldValueInvalid = "FieldValueInvalid";
    public const string FieldValueForbidden = "FieldValueForbidden";
    public const string FieldValueRequired = "FieldValueRequired";
    public const string FieldValueDuplicate = "FieldValueDuplicate";
}
