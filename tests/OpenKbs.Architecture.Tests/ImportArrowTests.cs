using System.Reflection;
using System.Xml.Linq;
using NetArchTest.Rules;

namespace OpenKbs.Architecture.Tests;

/// <summary>
/// The import arrows of docs/architecture.md ("Rooms ... and who may import whom"), checked twice: on the
/// ProjectReferences of every src/ project file and on the assembly references the compiler kept (what the code uses).
/// </summary>
public sealed class ImportArrowTests
{
    /// <summary>Every room (project under src/) and the rooms it may import directly. A new room needs a row here.</summary>
    private static readonly Dictionary<string, string[]> MayImport = new(StringComparer.Ordinal)
    {
        ["OpenKbs.Api"] = [],
        ["OpenKbs.Runtime"] = [],
        ["OpenKbs.Aws"] = [],
        ["OpenKbs.Audit"] = [],
        ["OpenKbs.AuditTrail"] = ["OpenKbs.Aws"],
        ["OpenKbs.Controllers"] = ["OpenKbs.Api", "OpenKbs.Runtime", "OpenKbs.Aws", "OpenKbs.Audit", "OpenKbs.Zip"],
        ["OpenKbs.Operator"] = ["OpenKbs.Api", "OpenKbs.Controllers", "OpenKbs.Runtime", "OpenKbs.Aws", "OpenKbs.Audit", "OpenKbs.AuditTrail"],
        ["OpenKbs.Sandbox"] = [],
        ["OpenKbs.Sandbox.Aws"] = ["OpenKbs.Zip"],
        ["OpenKbs.Sandbox.Host"] = ["OpenKbs.Sandbox", "OpenKbs.Sandbox.Aws"],

        // The deterministic zip: a format both the operator (the access bundle) and the sandbox (the example artifacts) write.
        ["OpenKbs.Zip"] = [],
    };

    /// <summary>Assembly names that differ from the project name.</summary>
    private static readonly Dictionary<string, string> AssemblyNames = new(StringComparer.Ordinal)
    {
        ["OpenKbs.Operator"] = "openkbs",
        ["OpenKbs.Sandbox.Host"] = "openkbs-sandbox",
    };

    public static TheoryData<string> Rooms() => [.. MayImport.Keys];

    [Fact]
    public void Every_project_under_src_is_a_room_of_the_table()
    {
        var projects = Directory.EnumerateDirectories(Path.Combine(Repository.Root(), "src"))
            .Where(dir => File.Exists(Path.Combine(dir, Path.GetFileName(dir) + ".csproj")))
            .Select(Path.GetFileName)
            .ToList();

        Assert.All(projects, project => Assert.True(
            MayImport.ContainsKey(project!),
            $"src/{project} has no row in ImportArrowTests.MayImport: say which rooms it may import (docs/architecture.md)"));
    }

    [Theory]
    [MemberData(nameof(Rooms))]
    public void A_room_project_references_only_the_rooms_it_may_import(string room)
    {
        var file = Path.Combine(Repository.Root(), "src", room, room + ".csproj");
        var referenced = XDocument.Load(file).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToList();

        Assert.Empty(referenced.Except(MayImport[room]));
    }

    [Theory]
    [MemberData(nameof(Rooms))]
    public void A_room_assembly_uses_only_the_rooms_it_may_import(string room)
    {
        var rooms = MayImport.Keys.ToDictionary(AssemblyName, r => r, StringComparer.Ordinal);
        var used = Assembly.Load(AssemblyName(room)).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(rooms.ContainsKey)
            .Select(name => rooms[name])
            .ToList();

        Assert.Empty(used.Except(MayImport[room]));
    }

    [Fact]
    public void The_operator_executable_carries_no_sandbox_assembly()
    {
        var operatorAssembly = Assembly.Load(AssemblyName("OpenKbs.Operator"));
        var closure = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<AssemblyName>([operatorAssembly.GetName()]);
        while (pending.TryPop(out var next))
        {
            if (next.Name!.StartsWith("OpenKbs.", StringComparison.Ordinal) || next.Name.StartsWith("openkbs", StringComparison.Ordinal))
            {
                if (closure.Add(next.Name))
                {
                    foreach (var reference in Assembly.Load(next).GetReferencedAssemblies())
                    {
                        pending.Push(reference);
                    }
                }
            }
        }

        Assert.DoesNotContain(closure, name => name.StartsWith("OpenKbs.Sandbox", StringComparison.Ordinal) || name == "openkbs-sandbox");
    }

    /// <summary>
    /// Controllers speak to Kubernetes through the Runtime and to AWS through the Aws clients: no HTTP types of their own
    /// (HttpClient and friends, ASP.NET Core, status codes, KubernetesClient's HTTP exceptions).
    /// </summary>
    [Fact]
    public void Controllers_know_no_HTTP()
    {
        var result = Types.InAssembly(Assembly.Load("OpenKbs.Controllers"))
            .ShouldNot().HaveDependencyOnAny("System.Net.Http", "System.Net.HttpStatusCode", "Microsoft.AspNetCore", "k8s.Autorest")
            .GetResult();

        Assert.True(result.IsSuccessful, "types of OpenKbs.Controllers that use HTTP types: "
            + string.Join(", ", result.FailingTypes?.Select(t => t.FullName) ?? []));
    }

    private static string AssemblyName(string room) => AssemblyNames.TryGetValue(room, out var name) ? name : room;
}
