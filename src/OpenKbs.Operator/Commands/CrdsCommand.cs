using System.CommandLine;
using OpenKbs.Api.Crds;

namespace OpenKbs.Operator.Commands;

/// <summary>`openkbs crds --output DIR`: writes the CustomResourceDefinitions generated from the C# types.</summary>
internal static class CrdsCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o")
        {
            Description = "Directory to write one CRD file per kind into (created if missing).",
            DefaultValueFactory = _ => "crds",
        };
        var command = new Command("crds", "Write the OpenKBS CustomResourceDefinitions (generated from the C# types) into a directory.")
        {
            output,
        };
        command.SetAction(parseResult =>
        {
            var directory = parseResult.GetValue(output)!;
            var changed = CrdFiles.Write(directory);
            foreach (var path in changed)
            {
                Console.Out.WriteLine(File.Exists(path) ? $"wrote {path}" : $"deleted {path}");
            }

            Console.Out.WriteLine(changed.Count == 0
                ? $"{directory}: {CrdGenerator.ResourceTypes.Count} CRDs up to date"
                : $"{directory}: {CrdGenerator.ResourceTypes.Count} CRDs, {changed.Count} file(s) changed");
            return 0;
        });
        return command;
    }
}
