using System.CommandLine;

namespace OpenKbs.Operator.Commands;

/// <summary>`openkbs crds`.</summary>
internal static class CrdsCommand
{
    public static Command Create()
    {
        var command = new Command("crds", "Not wired yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("openkbs crds: not wired yet");
            return 2;
        });
        return command;
    }
}
