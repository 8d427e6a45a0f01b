using k8s;
using k8s.Models;
using OpenKbs.Api.Crds;

namespace OpenKbs.Api.Tests.Crds;

public sealed class CrdGeneratorTests
{
    public static TheoryData<string, string, string, string> Names => new()
    {
        { "ClientAccount", "clientaccounts", "clientaccount", "ca" },
        { "Project", "projects", "project", "proj" },
        { "AuditRun", "auditruns", "auditrun", "audit" },
        { "AccountTransfer", "accounttransfers", "accounttransfer", "xfer" },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Names_scope_category_and_version_follow_the_api_contract(string kind, string plural, string singular, string shortName)
    {
        var crd = Crds.Of(kind);

        Assert.Equal("apiextensions.k8s.io/v1", crd.ApiVersion);
        Assert.Equal("CustomResourceDefinition", crd.Kind);
        Assert.Equal($"{plural}.openkbs.com", crd.Metadata.Name);
        Assert.Equal("openkbs.com", crd.Spec.Group);
        Assert.Equal("Namespaced", crd.Spec.Scope);
        Assert.Equal(kind, crd.Spec.Names.Kind);
        Assert.Equal(kind + "List", crd.Spec.Names.ListKind);
        Assert.Equal(plural, crd.Spec.Names.Plural);
        Assert.Equal(singular, crd.Spec.Names.Singular);
        Assert.Equal([shortName], crd.Spec.Names.ShortNames);
        Assert.Equal(["openkbs"], crd.Spec.Names.Categories);
        var version = Assert.Single(crd.Spec.Versions);
        Assert.Equal("v1alpha1", version.Name);
        Assert.True(version.Served);
        Assert.True(version.Storage);
        Assert.NotNull(version.Subresources.Status);
        Assert.Null(version.Subresources.Scale);
    }

    public static TheoryData<string, string> PrinterColumns => new()
    {
        {
            "ClientAccount",
            "ACCOUNT-ID string .status.accountId|EMAIL string .spec.email|STATE string .status.state|READY string .status.conditions[?(@.type==\"Ready\")].status|AGE date .metadata.creationTimestamp" +
            "|OU string .spec.organizationalUnit wide|REGION string .spec.region wide|REASON string .status.conditions[?(@.type==\"Ready\")].reason wide"
        },
        {
            "Project",
            "ACCOUNT string .spec.clientAccountRef.name|VERSION string .status.deployedVersion|FUNCTIONS string .status.functionsReady|READY string .status.conditions[?(@.type==\"Ready\")].status|ENDPOINT string .status.endpoint|AGE date .metadata.creationTimestamp|TRANSFERRED date .status.transferredAt" +
            "|DESIRED string .spec.version wide|ACCOUNT-ID string .status.accountId wide|REASON string .status.conditions[?(@.type==\"Ready\")].reason wide"
        },
        {
            "AuditRun",
            "PROJECT string .spec.projectRef.name|VERSION string .status.version|PHASE string .status.phase|CRITICAL integer .status.findings.critical|HIGH integer .status.findings.high|AGE date .metadata.creationTimestamp" +
            "|MEDIUM integer .status.findings.medium wide|LOW integer .status.findings.low wide|FAIL-ON string .spec.failOn wide|REASON string .status.conditions[?(@.type==\"Ready\")].reason wide"
        },
        {
            "AccountTransfer",
            "ACCOUNT string .spec.clientAccountRef.name|PHASE string .status.phase|AGE date .metadata.creationTimestamp" +
            "|NEW-EMAIL string .spec.newRootEmail wide|REASON string .status.conditions[?(@.type==\"Ready\")].reason wide"
        },
    };

    [Theory]
    [MemberData(nameof(PrinterColumns))]
    public void Printer_columns_are_exactly_the_documented_ones_in_order(string kind, string expected)
    {
        var columns = Crds.Of(kind).Spec.Versions.Single().AdditionalPrinterColumns
            .Select(c => $"{c.Name} {c.Type} {c.JsonPath}{(c.Priority == 1 ? " wide" : string.Empty)}");

        Assert.Equal(expected.Split('|'), columns);
    }

    [Theory]
    [MemberData(nameof(PrinterColumns))]
    public void Printer_columns_point_at_fields_of_the_schema(string kind, string unused)
    {
        _ = unused;
        foreach (var column in Crds.Of(kind).Spec.Versions.Single().AdditionalPrinterColumns.Where(c => !c.JsonPath.StartsWith(".metadata.", StringComparison.Ordinal)))
        {
            var path = column.JsonPath.TrimStart('.').Replace("conditions[?(@.type==\"Ready\")]", "conditions[]", StringComparison.Ordinal);
            var node = Crds.Node(kind, path);
            Assert.True(column.Type switch { "integer" => node.Type == "integer", "string" or "date" => node.Type == "string", _ => false }, $"{kind} {column.Name}: {node.Type}");
        }
    }

    public static TheoryData<string, string, string> RequiredFields => new()
    {
        { "ClientAccount", "", "spec" },
        { "ClientAccount", "spec", "email" },
        { "Project", "spec", "clientAccountRef,version" },
        { "Project", "spec.clientAccountRef", "name" },
        { "Project", "spec.source", "s3,sha256" },
        { "Project", "spec.source.s3", "bucket,key" },
        { "Project", "spec.functions[]", "handler,name" },
        { "Project", "spec.schedules[]", "expression,function,name" },
        { "Project", "spec.apiKeys[]", "name,permissions" },
        { "AuditRun", "spec", "projectRef" },
        { "AccountTransfer", "spec", "clientAccountRef,newRootEmail" },
        { "AccountTransfer", "spec.confirmations.verificationCodeSecretRef", "key,name" },
        { "ClientAccount", "status.conditions[]", "lastTransitionTime,message,reason,status,type" },
    };

    [Theory]
    [MemberData(nameof(RequiredFields))]
    public void Required_fields_come_from_the_csharp_required_modifier(string kind, string path, string expected)
    {
        var node = path.Length == 0 ? Crds.Root(kind) : Crds.Node(kind, path);

        Assert.Equal(expected.Split(','), node.Required);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Status_has_no_required_fields_so_partial_status_patches_validate(string kind)
    {
        var status = Crds.Node(kind, "status");

        Assert.Null(status.Required);
        Assert.Contains("conditions", status.Properties.Keys);
        Assert.Contains("observedGeneration", status.Properties.Keys);
        Assert.Contains("lastHandledReconcileAt", status.Properties.Keys);
        Assert.Equal("map", status.Properties["conditions"].XKubernetesListType);
        Assert.Equal(["type"], status.Properties["conditions"].XKubernetesListMapKeys);
    }

    public static TheoryData<string, string, string> Enums => new()
    {
        { "ClientAccount", "spec.region", "eu-central-1,eu-west-1,eu-west-3,eu-north-1,eu-south-1,eu-south-2" },
        { "ClientAccount", "spec.allowedRegions[]", "eu-central-1,eu-west-1,eu-west-3,eu-north-1,eu-south-1,eu-south-2" },
        { "ClientAccount", "spec.deletionPolicy", "Retain,Close" },
        { "ClientAccount", "status.state", "Pending,Queued,Creating,Active,Suspended,Closing,Closed,Failed,Transferred" },
        { "Project", "spec.deletionPolicy", "Retain,Delete" },
        { "Project", "spec.functions[].runtime", "nodejs24.x,nodejs22.x" },
        { "Project", "spec.cdn.priceClass", "PriceClass_100" },
        { "AuditRun", "spec.failOn", "critical,high,medium" },
        { "AuditRun", "spec.checks[]", "code,secrets,dependencies,infrastructure" },
        { "AuditRun", "status.phase", "Pending,Running,Passed,Failed,Error" },
        { "AccountTransfer", "status.phase", "Pending,VerifyingEmail,AwaitingClient,AwaitingApproval,Removing,AwaitingAccessRevocation,Completed,Failed" },
        { "AccountTransfer", "status.steps[].name", "Preflight,StartEmailUpdate,VerifyEmail,StandaloneReadiness,Approval,RemoveFromOrganization,HandOverReport,AccessRevoked,Release" },
        { "ClientAccount", "status.conditions[].status", "True,False,Unknown" },
    };

    [Theory]
    [MemberData(nameof(Enums))]
    public void Enums_list_exactly_the_allowed_values(string kind, string path, string expected)
    {
        var node = Crds.Node(kind, path);

        Assert.Equal("string", node.Type);
        Assert.Equal(expected.Split(','), node.EnumProperty.Cast<string>());
    }

    [Fact]
    public void No_region_outside_the_eu_member_states_is_allowed_anywhere()
    {
        var regions = Crds.Walk(Crds.Root("ClientAccount"))
            .Where(n => n.Path.Contains("egion", StringComparison.Ordinal) && n.Node.EnumProperty is not null)
            .SelectMany(n => n.Node.EnumProperty.Cast<string>())
            .Distinct();

        Assert.Equal(
            ["eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3"],
            regions.Order(StringComparer.Ordinal));
    }

    public static TheoryData<string, string, string> Defaults => new()
    {
        { "ClientAccount", "spec.region", "\"eu-central-1\"" },
        { "ClientAccount", "spec.allowedRegions", "[\"eu-central-1\"]" },
        { "ClientAccount", "spec.accessRoleName", "\"OrganizationAccountAccessRole\"" },
        { "ClientAccount", "spec.deletionPolicy", "\"Retain\"" },
        { "Project", "spec.deletionPolicy", "\"Retain\"" },
        { "Project", "spec.functions[].runtime", "\"nodejs24.x\"" },
        { "Project", "spec.database.deletionProtection", "true" },
        { "AuditRun", "spec.failOn", "\"critical\"" },
    };

    [Theory]
    [MemberData(nameof(Defaults))]
    public void Defaults_are_the_documented_ones(string kind, string path, string expectedJson)
    {
        Assert.Equal(expectedJson, KubernetesJson.Serialize(Crds.Node(kind, path).DefaultProperty));
    }

    [Fact]
    public void Only_the_documented_fields_have_schema_defaults()
    {
        var defaulted = CrdKinds.All
            .SelectMany(kind => Crds.Walk(Crds.Root(kind)).Where(n => n.Node.DefaultProperty is not null).Select(n => (kind, n.Path)));

        Assert.Equal(Defaults.Select(d => ((string)d[0], (string)d[1])).Order(), defaulted.Order());
    }

    public static TheoryData<string, string, double?, double?, double?> Bounds => new()
    {
        { "Project", "spec.functions[].memoryMb", 128, 10240, null },
        { "Project", "spec.functions[].timeoutSeconds", 1, 900, null },
        { "Project", "spec.database.backupRetentionDays", 1, 35, null },
        { "Project", "spec.database.minCapacity", 0, 256, 0.5 },
        { "Project", "spec.database.maxCapacity", 1, 256, 0.5 },
        { "Project", "spec.storage.noncurrentVersionRetentionDays", 1, 3650, null },
    };

    [Theory]
    [MemberData(nameof(Bounds))]
    public void Numbers_are_bounded(string kind, string path, double? minimum, double? maximum, double? multipleOf)
    {
        var node = Crds.Node(kind, path);

        Assert.Equal((minimum, maximum, multipleOf), (node.Minimum, node.Maximum, node.MultipleOf));
    }

    public static TheoryData<string, string, long> ListLimits => new()
    {
        { "Project", "spec.functions", 20 },
        { "Project", "spec.schedules", 50 },
        { "Project", "spec.apiKeys", 10 },
        { "Project", "spec.apiKeys[].permissions", 20 },
        { "Project", "spec.cdn.aliases", 10 },
        { "ClientAccount", "spec.allowedRegions", 6 },
        { "AuditRun", "spec.checks", 4 },
    };

    [Theory]
    [MemberData(nameof(ListLimits))]
    public void Lists_are_bounded(string kind, string path, long maxItems)
    {
        Assert.Equal(maxItems, Crds.Node(kind, path).MaxItems);
    }

    [Theory]
    [InlineData("Project", "spec.functions", "name")]
    [InlineData("Project", "spec.schedules", "name")]
    [InlineData("Project", "spec.apiKeys", "name")]
    public void Named_lists_are_list_maps_keyed_by_name(string kind, string path, string key)
    {
        var node = Crds.Node(kind, path);

        Assert.Equal("map", node.XKubernetesListType);
        Assert.Equal([key], node.XKubernetesListMapKeys);
    }

    [Theory]
    [InlineData("Project", "spec.source.sha256", "^[a-f0-9]{64}$")]
    [InlineData("Project", "status.artifactSha256", "^[a-f0-9]{64}$")]
    [InlineData("ClientAccount", "spec.adoptAccountId", "^[0-9]{12}$")]
    [InlineData("Project", "spec.functions[].name", "^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$")]
    [InlineData("Project", "spec.cdn.acmCertificateArn", "^arn:aws:acm:us-east-1:[0-9]{12}:certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    [InlineData("Project", "spec.cdn.aliases[]", @"^(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")]
    public void Patterns_constrain_identifiers(string kind, string path, string pattern)
    {
        Assert.Equal(pattern, Crds.Node(kind, path).Pattern);
    }

    [Fact]
    public void Client_account_reference_has_only_a_name()
    {
        Assert.Equal(["name"], Crds.Node("Project", "spec.clientAccountRef").Properties.Keys);
        Assert.Equal(["name"], Crds.Node("AccountTransfer", "spec.clientAccountRef").Properties.Keys);
        Assert.Equal(["name"], Crds.Node("AuditRun", "spec.projectRef").Properties.Keys);
    }

    public static TheoryData<string> Kinds => new(CrdKinds.All);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Schema_is_structural_every_node_typed_and_nothing_preserved(string kind)
    {
        foreach (var (path, node) in Crds.Walk(Crds.Root(kind)))
        {
            Assert.True(node.Type is "object" or "array" or "string" or "integer" or "number" or "boolean", $"{kind} {path}: type '{node.Type}'");
            Assert.Null(node.XKubernetesPreserveUnknownFields);
            Assert.Null(node.XKubernetesIntOrString);
            Assert.Null(node.AnyOf);
            Assert.Null(node.OneOf);
            Assert.Null(node.AllOf);
            Assert.Null(node.RefProperty);
            Assert.False(node.Properties is not null && node.AdditionalProperties is not null, $"{kind} {path}: properties and additionalProperties");
            Assert.Equal(node.Type == "array", node.Items is not null);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_field_below_metadata_has_a_description_for_kubectl_explain(string kind)
    {
        var undocumented = Crds.Walk(Crds.Root(kind))
            .Where(n => !n.Path.EndsWith("[]", StringComparison.Ordinal) && !n.Path.EndsWith("{}", StringComparison.Ordinal) && n.Path != "metadata")
            .Where(n => string.IsNullOrWhiteSpace(n.Node.Description))
            .Select(n => n.Path);

        Assert.Empty(undocumented);
    }

    [Fact]
    public void Descriptions_render_xml_doc_markup_as_plain_text()
    {
        Assert.Equal(
            "The deployment artifact of this version: a zip holding the functions' code. Required when there are functions.",
            Crds.Node("Project", "spec.source").Description);
        Assert.StartsWith("The organizational unit to place the account in, as a path of OU names below the root, e.g. `Clients/Manufacturing` (at most 5 levels", Crds.Node("ClientAccount", "spec.organizationalUnit").Description, StringComparison.Ordinal);
        Assert.StartsWith("ClientAccount is a dedicated AWS account", Crds.Root("ClientAccount").Description, StringComparison.Ordinal);
        Assert.Equal("The desired AWS account of a client.", Crds.Node("ClientAccount", "spec").Description);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_string_or_list_a_cel_rule_reads_is_bounded(string kind)
    {
        // The API server rejects a CRD whose rules' estimated cost exceeds its budget; bounds keep the estimate small.
        foreach (var (path, node) in Crds.Walk(Crds.Root(kind)).Where(n => n.Node.XKubernetesValidations is not null))
        {
            foreach (var (innerPath, inner) in Crds.Walk(node, path))
            {
                switch (inner.Type)
                {
                    case "string" when inner.EnumProperty is null && inner.Pattern is null:
                        Assert.True(inner.MaxLength is not null, $"{kind} {innerPath}: string without maxLength under a CEL rule");
                        break;
                    case "array":
                        Assert.True(inner.MaxItems is not null, $"{kind} {innerPath}: list without maxItems under a CEL rule");
                        break;
                    case "object" when inner.AdditionalProperties is not null:
                        Assert.True(inner.MaxProperties is not null, $"{kind} {innerPath}: map without maxProperties under a CEL rule");
                        break;
                }
            }
        }
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        var first = CrdGenerator.GenerateAll().Select(m => m.Yaml);
        var second = CrdGenerator.GenerateAll().Select(m => m.Yaml);

        Assert.Equal(first, second);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Yaml_parses_back_into_the_same_custom_resource_definition(string kind)
    {
        var manifest = Crds.All.Single(m => m.Definition.Spec.Names.Kind == kind);

        var parsed = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(manifest.Yaml);

        Assert.StartsWith(CrdGenerator.Header, manifest.Yaml, StringComparison.Ordinal);
        Assert.Equal($"openkbs.com_{parsed.Spec.Names.Plural}.yaml", manifest.FileName);
        Assert.Equal(CrdGenerator.Header + KubernetesYaml.Serialize(parsed).ReplaceLineEndings("\n"), manifest.Yaml);
    }
}
