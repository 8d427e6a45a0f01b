namespace OpenKbs.Operator;

/// <summary>The `openkbs` executable's entry point.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("openkbs: no verbs wired yet");
        return args.Length == 0 ? 2 : 2;
    }
}
