namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// The kind of a field validation error, one to one with k8s.io/apimachinery/pkg/util/validation/field.ErrorType
/// (and so with metav1.CauseType). <see cref="FieldErrorTypeExtensions.Reason"/> gives the wire name.
/// </summary>
public enum FieldErrorType
{
    /// <summary>FieldValueNotFound: "Not found".</summary>
    NotFound,

    /// <summary>FieldValueRequired: "Required value".</summary>
    Required,

    /// <summary>FieldValueDuplicate: "Duplicate value".</summary>
    Duplicate,

    /// <summary>FieldValueInvalid: "Invalid value".</summary>
    Invalid,

    /// <summary>FieldValueNotSupported: "Unsupported value" (enums).</summary>
    NotSupported,

    /// <summary>FieldValueForbidden: "Forbidden".</summary>
    Forbidden,

    /// <summary>FieldValueTooLong: "Too long" (strings, maxLength).</summary>
    TooLong,

    /// <summary>FieldValueTooMany: "Too many" (maxItems, maxProperties).</summary>
    TooMany,

    /// <summary>InternalError: "Internal error".</summary>
    Internal,

    /// <summary>FieldValueTypeInvalid: printed as "Invalid value", reported for schema type and format mismatches.</summary>
    TypeInvalid,
}
