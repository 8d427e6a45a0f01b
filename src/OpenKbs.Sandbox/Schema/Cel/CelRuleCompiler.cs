using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cel.Internal;

namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>
/// Compiles every x-kubernetes-validations rule of a schema at CRD installation, with the checks kube-apiserver
/// makes: the rule parses and type-checks against the declared schema, evaluates to a bool, only uses oldSelf where
/// an old value can be correlated, and its messageExpression, reason and fieldPath are valid. Every problem becomes a
/// field error; nothing is silently ignored.
/// </summary>
internal static partial class CelRuleCompiler
{
    private static readonly string[] Reasons = ["FieldValueRequired", "FieldValueForbidden", "FieldValueInvalid", "FieldValueDuplicate"];

    public static void CompileAll(SchemaNode root, List<FieldError> errors) => Walk(root, isResourceRoot: true, uncorrelatable: null, errors);

    private static bool Walk(SchemaNode node, bool isResourceRoot, string? uncorrelatable, List<FieldError> errors)
    {
        if (node.Rules.Count > 0)
        {
            CompileNode(node, isResourceRoot, uncorrelatable, errors);
        }

        var below = node.Rules.Count > 0;
        if (node.Properties is not null)
        {
            foreach (var (_, prop) in node.Properties)
            {
                below |= Walk(prop, prop.EmbeddedResource, uncorrelatable, errors);
            }
        }

        if (node.AdditionalProperties is { } additional)
        {
            below |= Walk(additional, additional.EmbeddedResource, uncorrelatable, errors);
        }

        if (node.Items is { } items)
        {
            var itemsUncorrelatable = uncorrelatable ?? (node.ListType == "map" ? null : node.SchemaPath);
            below |= Walk(items, items.EmbeddedResource, itemsUncorrelatable, errors);
        }

        node.HasRulesBelow = below;
        return below;
    }

    private static void CompileNode(SchemaNode node, bool isResourceRoot, string? uncorrelatable, List<FieldError> errors)
    {
        var rulesPath = FieldPaths.Child(node.SchemaPath, "x-kubernetes-validations");
        var selfType = CelDeclTypes.FromSchema(node, isResourceRoot);
        if (selfType is null)
        {
            errors.Add(FieldError.Invalid(rulesPath, null, $"rule compiler initialization error: rule declared on schema that does not support validation rules type: '{node.Type ?? ""}' x-kubernetes-preserve-unknown-fields: '{(node.PreserveUnknownFields ? "true" : "false")}'"));
            return;
        }

        for (var i = 0; i < node.Rules.Count; i++)
        {
            var rule = node.Rules[i];
            var rulePath = FieldPaths.Index(rulesPath, i);
            var count = errors.Count;
            var compiled = CompileRule(node, rule, rulePath, selfType, uncorrelatable, errors);
            if (compiled is not null && errors.Count == count)
            {
                node.CompiledRules.Add(compiled);
            }
        }
    }

    private static CompiledRule? CompileRule(SchemaNode node, ValidationRule rule, string rulePath, CelType selfType, string? uncorrelatable, List<FieldError> errors)
    {
        var rawValue = RuleValue(rule);
        if (rule.Rule.Trim().Length == 0)
        {
            errors.Add(FieldError.Required(FieldPaths.Child(rulePath, "rule"), "rule is not specified"));
            return null;
        }

        if (rule.Message.Contains('\n', StringComparison.Ordinal))
        {
            errors.Add(FieldError.Invalid(FieldPaths.Child(rulePath, "message"), JsonValue.Create(rule.Message), "message must not contain line breaks"));
        }

        if (rule.Reason is { } reason && !Reasons.Contains(reason))
        {
            errors.Add(FieldError.NotSupported(FieldPaths.Child(rulePath, "reason"), JsonValue.Create(reason), Reasons));
        }

        string? fieldPath = null;
        if (rule.FieldPath.Length > 0)
        {
            fieldPath = RuleFieldPath.Resolve(rule.FieldPath, node, out var error);
            if (error is not null)
            {
                errors.Add(FieldError.Invalid(FieldPaths.Child(rulePath, "fieldPath"), JsonValue.Create(rule.FieldPath), $"fieldPath must be a valid path: {error}"));
            }
        }

        var optional = rule.OptionalOldSelf == true;
        var oldSelfType = optional ? CelType.OptionalOf(selfType) : selfType;
        var program = CheckAndCompile(rule.Rule, selfType, oldSelfType, expectString: false, out var usesOldSelf, out var problem);
        if (problem is not null)
        {
            errors.Add(FieldError.Invalid(FieldPaths.Child(rulePath, "rule"), rawValue, problem));
            return null;
        }

        if (usesOldSelf && uncorrelatable is not null)
        {
            errors.Add(FieldError.Invalid(FieldPaths.Child(rulePath, "rule"), rawValue, $"oldSelf cannot be used on the uncorrelatable portion of the schema within {uncorrelatable}"));
        }

        if (optional && !usesOldSelf)
        {
            errors.Add(FieldError.Invalid(FieldPaths.Child(rulePath, "optionalOldSelf"), JsonValue.Create(true), "may not be set if rule does not use oldSelf"));
        }

        CelProgram? messageProgram = null;
        if (rule.MessageExpression.Trim().Length > 0)
        {
            messageProgram = CheckAndCompile(rule.MessageExpression, selfType, oldSelfType, expectString: true, out _, out var messageProblem);
            if (messageProblem is not null)
            {
                errors.Add(FieldError.Invalid(FieldPaths.Child(rulePath, "messageExpression"), rawValue, "messageExpression " + messageProblem));
            }
        }

        return program is null ? null : new CompiledRule
        {
            Rule = rule,
            Program = program,
            MessageProgram = messageProgram,
            UsesOldSelf = usesOldSelf,
            NormalizedFieldPath = fieldPath,
            SelfType = selfType,
        };
    }

    /// <summary>Parses, checks and compiles one expression; <paramref name="problem"/> is cel-go's style of message.</summary>
    internal static CelProgram? CheckAndCompile(string expression, CelType selfType, CelType? oldSelfType, bool expectString, out bool usesOldSelf, out string? problem)
    {
        usesOldSelf = false;
        problem = null;
        CelParser.StartContext start;
        try
        {
            start = CelRuntime.Parse(expression);
        }
        catch (CelSyntaxException ex)
        {
            problem = "compilation failed: " + FormatSyntaxError(expression, ex.Message);
            return null;
        }

        var checker = new CelChecker(selfType, oldSelfType);
        CelType result;
        try
        {
            result = checker.Check(start);
        }
        catch (NullReferenceException)
        {
            problem = "compilation failed: ERROR: <input>:1:1: Syntax error: the expression could not be parsed";
            return null;
        }

        if (checker.Issues.Count > 0)
        {
            problem = "compilation failed: " + string.Join("\n", checker.Issues.Select(issue => FormatIssue(expression, issue)));
            return null;
        }

        usesOldSelf = checker.UsesOldSelf;
        if (expectString)
        {
            if (!result.IsDyn && result.Kind != CelTypeKind.String)
            {
                problem = "must evaluate to a string";
                return null;
            }
        }
        else if (!result.IsDyn && result.Kind != CelTypeKind.Bool)
        {
            problem = "cel expression must evaluate to a bool";
            return null;
        }

        try
        {
            return CelCompiler.Compile(start);
        }
        catch (CelSyntaxException ex)
        {
            problem = "program instantiation failed: " + ex.Message;
            return null;
        }
    }

    private static string FormatIssue(string expression, CelCheckIssue issue)
    {
        var lines = expression.Split('\n');
        var line = issue.Line >= 1 && issue.Line <= lines.Length ? lines[issue.Line - 1] : "";
        var caret = new StringBuilder();
        for (var i = 1; i < issue.Column; i++)
        {
            caret.Append(i - 1 < line.Length && line[i - 1] == '\t' ? '\t' : '.');
        }

        caret.Append('^');
        return $"ERROR: <input>:{issue.Line}:{issue.Column}: {issue.Message}\n | {line}\n | {caret}";
    }

    private static string FormatSyntaxError(string expression, string message)
    {
        var match = SyntaxPosition().Match(message);
        if (!match.Success)
        {
            return $"ERROR: <input>:1:1: Syntax error: {message}";
        }

        var line = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var column = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) + 1;
        return FormatIssue(expression, new CelCheckIssue(line, column, "Syntax error: " + match.Groups[3].Value.Trim()));
    }

    private static JsonNode RuleValue(ValidationRule rule) => rule.Raw.DeepClone();

    [GeneratedRegex(@"Line (\d+):(\d+)\s*(.*)", RegexOptions.Singleline)]
    private static partial Regex SyntaxPosition();
}
