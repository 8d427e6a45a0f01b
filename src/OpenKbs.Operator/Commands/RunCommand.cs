using System.CommandLine;

namespace OpenKbs.Operator.Commands;

/// <summary>`openkbs run`.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Not wired yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("openkbs run: not wired yet");
            return 2;
        });
        return command;
    }
}
