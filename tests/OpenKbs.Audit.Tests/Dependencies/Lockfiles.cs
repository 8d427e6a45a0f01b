using System.Text.Json.Nodes;

namespace OpenKbs.Audit.Tests.Dependencies;

/// <summary>package-lock.json texts shaped like npm 9 writes them.</summary>
internal static class Lockfiles
{
    public static string V3(params (string Path, string Version, bool Dev)[] packages)
    {
        var entries = new JsonObject { [""] = new JsonObject { ["name"] = "shop-api", ["version"] = "1.0.0" } };
        foreach (var (path, version, dev) in packages)
        {
            var name = path[(path.LastIndexOf("node_modules/", StringComparison.Ordinal) + "node_modules/".Length)..];
            var entry = new JsonObject
            {
                ["version"] = version,
                ["resolved"] = $"https://registry.npmjs.org/{name}/-/{name.Split('/')[^1]}-{version}.tgz",
                ["integrity"] = "sha512-" + Convert.ToBase64String(System.Security.Cryptography.SHA512.HashData(System.Text.Encoding.UTF8.GetBytes(path + version))),
            };
            if (dev)
            {
                entry["dev"] = true;
            }

            entries[path] = entry;
        }

        return new JsonObject { ["name"] = "shop-api", ["version"] = "1.0.0", ["lockfileVersion"] = 3, ["requires"] = true, ["packages"] = entries }
            .ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }
}
