using System.Reflection;
using OpenKbs.Benchmarks;

// `make bench` = `dotnet run -c Release --project bench/OpenKbs.Benchmarks -- all`.
// `-- <group>` runs one group. Results print as Markdown rows, ready for docs/performance.md.
var group = args.Length > 0 ? args[0] : "all";
var measurements = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IMeasurement).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
    .Select(t => (IMeasurement)Activator.CreateInstance(t)!)
    .Where(m => group == "all" || string.Equals(m.Group, group, StringComparison.OrdinalIgnoreCase))
    .OrderBy(m => m.Group, StringComparer.Ordinal).ThenBy(m => m.Title, StringComparer.Ordinal)
    .ToList();
if (measurements.Count == 0)
{
    Console.Error.WriteLine($"no measurement in group '{group}'");
    return 2;
}

Console.WriteLine($"OpenKBS benchmarks, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
var failed = false;
foreach (var m in measurements)
{
    Console.WriteLine();
    Console.WriteLine($"## {m.Group}: {m.Title}");
    Console.WriteLine();
    Console.WriteLine("| metric | value | target | met |");
    Console.WriteLine("|---|---|---|---|");
    foreach (var r in await m.RunAsync(CancellationToken.None))
    {
        Console.WriteLine($"| {r.Metric} | {r.Value} | {r.Target ?? ""} | {(r.Met is null ? "" : r.Met.Value ? "yes" : "NO")} |");
        failed |= r.Met == false;
    }
}

return failed ? 1 : 0;
