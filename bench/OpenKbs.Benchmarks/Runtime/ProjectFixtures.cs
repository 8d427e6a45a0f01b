using System.Text.Json.Nodes;

namespace OpenKbs.Benchmarks.Runtime;

/// <summary>Project objects of realistic size (~2 KB of JSON each, as the API server returns them, managedFields included).</summary>
internal static class ProjectFixtures
{
    public static JsonObject Project(int i)
    {
        var name = $"shop-{i:D6}";
        var functions = new JsonArray();
        var functionStatus = new JsonArray();
        foreach (var fn in new[] { "api", "worker", "cron", "auth" })
        {
            functions.Add(new JsonObject
            {
                ["name"] = fn,
                ["handler"] = $"dist/{fn}.handler",
                ["runtime"] = "nodejs24.x",
                ["memoryMb"] = 512,
                ["timeoutSeconds"] = 30,
                ["environment"] = new JsonObject { ["LOG_LEVEL"] = "info", ["TABLE"] = $"{name}-{fn}" },
            });
            functionStatus.Add(new JsonObject
            {
                ["name"] = fn,
                ["arn"] = $"arn:aws:lambda:eu-central-1:123456789012:function:{name}-{fn}",
                ["state"] = "Active",
                ["codeSha256"] = "n3Yp0mJ6c2V3dW1rZ0x2b2Q4eHk5cWZ0aGVhcnRiZWF0",
            });
        }

        return new JsonObject
        {
            ["apiVersion"] = "openkbs.com/v1alpha1",
            ["kind"] = "Project",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = $"client-{i % 50:D2}",
                ["uid"] = Guid.NewGuid().ToString(),
                ["resourceVersion"] = (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["generation"] = 3,
                ["creationTimestamp"] = "2026-11-01T10:00:00Z",
                ["labels"] = new JsonObject { ["app.kubernetes.io/part-of"] = "shop", ["openkbs.com/client"] = $"client-{i % 50:D2}" },
                ["finalizers"] = new JsonArray("openkbs.com/project"),
                ["managedFields"] = new JsonArray(new JsonObject
                {
                    ["manager"] = "kubectl",
                    ["operation"] = "Apply",
                    ["apiVersion"] = "openkbs.com/v1alpha1",
                    ["fieldsType"] = "FieldsV1",
                    ["fieldsV1"] = new JsonObject { ["f:spec"] = new JsonObject { ["f:version"] = new JsonObject(), ["f:functions"] = new JsonObject() } },
                }),
            },
            ["spec"] = new JsonObject
            {
                ["clientAccountRef"] = new JsonObject { ["name"] = "acme" },
                ["version"] = "1.4.2",
                ["source"] = new JsonObject
                {
                    ["s3"] = new JsonObject { ["bucket"] = "openkbs-artifacts", ["key"] = $"{name}/1.4.2.zip" },
                    ["sha256"] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                },
                ["functions"] = functions,
                ["storage"] = new JsonObject { ["noncurrentVersionRetentionDays"] = 30 },
                ["database"] = new JsonObject { ["enabled"] = true, ["minCapacity"] = 0.5, ["maxCapacity"] = 4, ["backupRetentionDays"] = 7 },
                ["cdn"] = new JsonObject { ["enabled"] = true, ["priceClass"] = "PriceClass_100" },
                ["schedules"] = new JsonArray(new JsonObject { ["name"] = "nightly", ["expression"] = "cron(0 2 * * ? *)", ["function"] = "cron" }),
                ["apiKeys"] = new JsonArray(new JsonObject { ["name"] = "partner", ["permissions"] = new JsonArray("read") }),
            },
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = 3,
                ["accountId"] = "123456789012",
                ["region"] = "eu-central-1",
                ["deployedVersion"] = "1.4.2",
                ["functionsReady"] = "4/4",
                ["endpoint"] = $"https://d{i:D6}.cloudfront.net",
                ["functions"] = functionStatus,
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = "True",
                    ["reason"] = "Available",
                    ["message"] = "all components are ready",
                    ["observedGeneration"] = 3,
                    ["lastTransitionTime"] = "2026-11-01T10:05:00Z",
                }),
            },
        };
    }
}
