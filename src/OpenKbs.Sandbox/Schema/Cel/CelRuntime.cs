using Antlr4.Runtime;
using Cel;
using Cel.Internal;

namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>
/// The Cel package's parser (its ANTLR grammar of CEL). Evaluation is ours (<see cref="CelCompiler"/>): the package's
/// evaluator re-walks the parse tree on every evaluation and was three orders of magnitude too slow for list rules.
/// </summary>
internal static class CelRuntime
{
    private static readonly CelEnvironment Environment = new(null, null);

    /// <summary>Parses an expression; throws <see cref="CelSyntaxException"/> with the parser's position.</summary>
    public static CelParser.StartContext Parse(string expression)
    {
        try
        {
            return Environment.Parse(expression);
        }
        catch (CelExpressionParserException ex)
        {
            throw new CelSyntaxException(ex.Message, ex);
        }
        catch (RecognitionException ex)
        {
            throw new CelSyntaxException(ex.Message, ex);
        }
    }
}
