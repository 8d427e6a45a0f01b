using Antlr4.Runtime;
using Cel;
using Cel.Internal;

namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>The shared Cel package environment with the Kubernetes libraries registered.</summary>
internal static class CelRuntime
{
    private static readonly Lock CompileLock = new();
    private static readonly CelEnvironment Environment = Create();

    /// <summary>Parses an expression; throws <see cref="CelSyntaxException"/> with cel-go style positions.</summary>
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

    public static CelProgramDelegate Compile(CelParser.StartContext start)
    {
        lock (CompileLock)
        {
            return Environment.Compile(start);
        }
    }

    private static CelEnvironment Create()
    {
        var env = new CelEnvironment(null, null);
        KubernetesCelLibrary.Register(env);
        return env;
    }
}
