using System.Text.Json.Nodes;
using k8s;
using OpenKbs.Api.Crds;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Sandbox.Schema;

namespace OpenKbs.Api.Tests.Examples;

/// <summary>
/// The generated CRDs in the sandbox API server's validator (kube-apiserver's semantics and messages): the example
/// tenant is accepted, and the bad input of issues 5 and 6 is refused with a precise message and nothing else to do.
/// </summary>
public sealed class SandboxValidationTests
{
    private static readonly Lazy<Dictionary<string, CrdSchema>> Schemas = new(() => CrdGenerator.GenerateAll().ToDictionary(
        m => m.Definition.Spec.Names.Kind,
        m => CrdSchema.FromCrd(JsonNode.Parse(KubernetesJson.Serialize(m.Definition))!, ApiGroup.Version)));

    private static JsonObject Tenant(string kind)
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "docs/examples/tenant.yaml"));
        var objects = KubernetesYaml.LoadAllFromString(yaml, new Dictionary<string, Type>
        {
            ["v1/Namespace"] = typeof(k8s.Models.V1Namespace),
            [$"{ApiGroup.ApiVersion}/{ClientAccount.KubeKind}"] = typeof(ClientAccount),
            [$"{ApiGroup.ApiVersion}/{Project.KubeKind}"] = typeof(Project),
        });
        var match = objects.OfType<k8s.IKubernetesObject>().Single(o => o.Kind == kind);
        return JsonNode.Parse(KubernetesJson.Serialize(match))!.AsObject();
    }

    private static IReadOnlyList<string> Validate(string kind, JsonObject obj, JsonObject? old = null)
    {
        var schema = Schemas.Value[kind];
        var unknown = schema.Prune(obj);
        schema.ApplyDefaults(obj);
        if (old is not null)
        {
            schema.Prune(old);
            schema.ApplyDefaults(old);
        }

        return [.. unknown.Select(f => $"unknown field \"{f}\""), .. schema.Validate(obj, old).Select(e => e.ToString())];
    }

    [Theory]
    [InlineData("ClientAccount")]
    [InlineData("Project")]
    public void The_example_tenant_is_accepted(string kind)
    {
        Assert.Empty(Validate(kind, Tenant(kind)));
    }

    public static TheoryData<string, string, string> BadInput => new()
    {
        // issue 6
        { "Project", "21 functions", "spec.functions: Too many: 21: must have at most 20 items" },
        { "Project", "duplicate function names", "spec.functions: Invalid value: \"array\": function names must be unique" },
        { "Project", "retention 36", "spec.database.backupRetentionDays: Invalid value: 36: spec.database.backupRetentionDays in body should be less than or equal to 35" },
        { "Project", "schedule naming an unknown function", "spec.schedules: Invalid value: \"object\": every schedule's function must be the name of a function in spec.functions" },
        { "Project", "invalid cron", "spec.schedules[0].expression: Invalid value: \"string\": expression must be rate(VALUE UNIT)" },
        { "Project", "cron with day-of-month and day-of-week", "in a cron expression either day-of-month or day-of-week must be '?'" },
        { "Project", "malformed sha256", "spec.source.sha256: Invalid value: \"abc\": spec.source.sha256 in body should match '^[a-f0-9]{64}$'" },
        { "Project", "reference to another namespace", "unknown field \"spec.clientAccountRef.namespace\"" },
        { "Project", "memory below Lambda's minimum", "spec.functions[0].memoryMb: Invalid value: 64: spec.functions[0].memoryMb in body should be greater than or equal to 128" },
        { "Project", "capacity not in 0.5 steps", "spec.database.minCapacity: Invalid value: 0.3: spec.database.minCapacity in body should be a multiple of 0.5" },
        { "Project", "minCapacity above maxCapacity", "minCapacity must not exceed maxCapacity" },
        { "Project", "unsupported runtime", "spec.functions[0].runtime: Unsupported value: \"nodejs18.x\": supported values: \"nodejs24.x\", \"nodejs22.x\"" },
        { "Project", "reserved environment variable", "must not be reserved" },
        { "Project", "certificate outside us-east-1", "spec.cdn.acmCertificateArn: Invalid value: \"arn:aws:acm:eu-central-1:111122223333:certificate/0b7c9a2e-5d1f-4c3b-9e8a-6f2d1c0b3a45\": spec.cdn.acmCertificateArn in body should match '^arn:aws:acm:us-east-1:" },
        { "Project", "aliases without a certificate", "spec.cdn.acmCertificateArn: Invalid value: \"object\": aliases and acmCertificateArn must be given together" },
        { "Project", "enabled CDN without a certificate", "spec.cdn.acmCertificateArn: Invalid value: \"object\": an enabled CDN needs aliases and acmCertificateArn" },
        { "Project", "price class with edges outside Europe and North America", "spec.cdn.priceClass: Unsupported value: \"PriceClass_All\": supported values: \"PriceClass_100\"" },
        { "Project", "uppercase alias", "spec.cdn.aliases[0]: Invalid value: \"Shop.Example.com\": spec.cdn.aliases[0] in body should match" },

        // issue 5
        { "ClientAccount", "non-EU region", "spec.region: Unsupported value: \"eu-west-2\": supported values: \"eu-central-1\", \"eu-west-1\", \"eu-west-3\", \"eu-north-1\", \"eu-south-1\", \"eu-south-2\"" },
        { "ClientAccount", "Zurich in allowedRegions", "spec.allowedRegions[1]: Unsupported value: \"eu-central-2\"" },
        { "ClientAccount", "region outside allowedRegions", "spec.region: Invalid value: \"object\": region must be one of allowedRegions" },
        { "ClientAccount", "invalid email", "spec.email: Invalid value: \"string\": email must be an email address such as aws+acme@example.com" },
        { "ClientAccount", "OU path too deep", "spec.organizationalUnit: Invalid value: \"string\": organizationalUnit may be at most 5 levels deep" },
        { "ClientAccount", "adoption id not an account id", "spec.adoptAccountId: Invalid value: \"12345\": spec.adoptAccountId in body should match '^[0-9]{12}$'" },
        { "ClientAccount", "reserved tag", "tag keys must be at most 128 characters and must not start with 'aws:' or 'openkbs.com/' (reserved)" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void Bad_input_is_refused_with_a_precise_message(string kind, string change, string expected)
    {
        var obj = Tenant(kind);
        Mutate(change, obj["spec"]!.AsObject());

        var errors = Validate(kind, obj);

        Assert.True(errors.Any(e => e.Contains(expected, StringComparison.Ordinal)), $"'{expected}' not in:\n{string.Join("\n", errors)}");
    }

    [Theory]
    [InlineData("ClientAccount", "email", "\"other@example.com\"", "spec.email: Forbidden: email is immutable: the root email of a vended account changes only through an AccountTransfer")]
    [InlineData("ClientAccount", "region", "\"eu-west-1\"", "spec.region: Forbidden: region is immutable: the home region of a client's resources cannot move")]
    [InlineData("Project", "clientAccountRef", "{\"name\":\"other\"}", "spec.clientAccountRef: Forbidden: clientAccountRef is immutable: a project cannot move to another client's account")]
    public void Immutable_fields_cannot_change_on_update(string kind, string field, string newValueJson, string expected)
    {
        var old = Tenant(kind);
        var obj = Tenant(kind);
        obj["spec"]![field] = JsonNode.Parse(newValueJson);
        if (field == "region")
        {
            obj["spec"]!["allowedRegions"] = new JsonArray("eu-central-1", "eu-west-1");
        }

        var errors = Validate(kind, obj, old);

        Assert.True(errors.Any(e => e.Contains(expected, StringComparison.Ordinal)), $"'{expected}' not in:\n{string.Join("\n", errors)}");
        Assert.Empty(Validate(kind, Tenant(kind), Tenant(kind)));
    }

    private static void Mutate(string change, JsonObject spec)
    {
        var functions = spec["functions"]?.AsArray();
        switch (change)
        {
            case "21 functions":
                spec["functions"] = new JsonArray(Enumerable.Range(1, 21).Select(i => (JsonNode)new JsonObject { ["name"] = $"f{i}", ["handler"] = "api.handler" }).ToArray());
                spec.Remove("schedules");
                break;
            case "duplicate function names":
                functions![1]!["name"] = "api";
                break;
            case "retention 36":
                spec["database"]!["backupRetentionDays"] = 36;
                break;
            case "schedule naming an unknown function":
                spec["schedules"]![0]!["function"] = "missing";
                break;
            case "price class with edges outside Europe and North America":
                spec["cdn"]!["priceClass"] = "PriceClass_All";
                break;
            case "invalid cron":
                spec["schedules"]![0]!["expression"] = "cron(0 2 * *)";
                break;
            case "cron with day-of-month and day-of-week":
                spec["schedules"]![0]!["expression"] = "cron(0 2 1 * MON *)";
                break;
            case "malformed sha256":
                spec["source"]!["sha256"] = "abc";
                break;
            case "reference to another namespace":
                spec["clientAccountRef"]!["namespace"] = "other";
                break;
            case "memory below Lambda's minimum":
                functions![0]!["memoryMb"] = 64;
                break;
            case "capacity not in 0.5 steps":
                spec["database"]!["minCapacity"] = 0.3;
                break;
            case "minCapacity above maxCapacity":
                spec["database"]!["minCapacity"] = 4;
                break;
            case "unsupported runtime":
                functions![0]!["runtime"] = "nodejs18.x";
                break;
            case "reserved environment variable":
                functions![0]!["environment"] = new JsonObject { ["AWS_REGION"] = "us-east-1" };
                break;
            case "certificate outside us-east-1":
                spec["cdn"]!["acmCertificateArn"] = "arn:aws:acm:eu-central-1:111122223333:certificate/0b7c9a2e-5d1f-4c3b-9e8a-6f2d1c0b3a45";
                break;
            case "aliases without a certificate":
                spec["cdn"]!.AsObject().Remove("acmCertificateArn");
                break;
            case "enabled CDN without a certificate":
                spec["cdn"] = new JsonObject { ["enabled"] = true };
                break;
            case "uppercase alias":
                spec["cdn"]!["aliases"] = new JsonArray("Shop.Example.com");
                break;
            case "non-EU region":
                spec["region"] = "eu-west-2";
                break;
            case "Zurich in allowedRegions":
                spec["allowedRegions"] = new JsonArray("eu-central-1", "eu-central-2");
                break;
            case "region outside allowedRegions":
                spec["region"] = "eu-west-1";
                break;
            case "invalid email":
                spec["email"] = "acme.example.com";
                break;
            case "OU path too deep":
                spec["organizationalUnit"] = "Clients/Europe/Germany/Bavaria/Munich/Manufacturing";
                break;
            case "adoption id not an account id":
                spec["adoptAccountId"] = "12345";
                break;
            case "reserved tag":
                spec["tags"] = new JsonObject { ["openkbs.com/owner"] = "me" };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change, null);
        }
    }
}
