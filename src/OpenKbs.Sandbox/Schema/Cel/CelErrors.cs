using System.Text.RegularExpressions;
using Cel;

namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>Translates the Cel package's runtime exceptions into cel-go's error texts.</summary>
internal static partial class CelErrors
{
    public static string Describe(Exception ex) => ex switch
    {
        CelEvaluationException e => e.Message,
        CelNoSuchFieldException e => "no such key: " + (QuotedName().Match(e.Message) is { Success: true } m ? m.Groups[1].Value : e.Message),
        CelTypeDoesNotSupportFieldSelectionException e => "no such key: " + (TypeName().Match(e.Message) is { Success: true } m ? m.Groups[1].Value : e.Message),
        CelArgumentRangeException e when e.Message.Contains("Key", StringComparison.Ordinal) => "no such key",
        CelArgumentRangeException => "index out of range",
        CelDivideByZeroException => "division by zero",
        CelModulusByZeroException => "modulus by zero",
        CelOverflowException => "integer overflow",
        CelNoSuchOverloadException => "no such overload",
        CelUndeclaredReferenceException e => e.Message,
        RegexParseException e => "invalid regex: " + e.Message,
        RegexMatchTimeoutException => "regex evaluation timed out",
        InvalidCastException => "no such overload",
        _ => ex.Message,
    };

    public static string DescribeResult(object? result) =>
        result?.GetType().Name == "CelNoSuchField" ? "no such key" : "no such overload";

    [GeneratedRegex("field '([^']*)'")]
    private static partial Regex QuotedName();

    [GeneratedRegex(@"Type '(?:[^']*\.)?([^'.]*)' does not support")]
    private static partial Regex TypeName();
}
