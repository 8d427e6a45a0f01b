using System.CommandLine;

namespace OpenKbs.Operator.Commands;

/// <summary>`openkbs sandbox`.</summary>
internal static class SandboxCommand
{
    public static Command Create()
    {
        var command = new Command("sandbox", "Not wired yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("openkbs sandbox: not wired yet");
            return 2;
        });
        return command;
    }
}
