using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OpenKbs.Api.Tests.Crds;
using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Api.Tests.V1Alpha1;

public sealed class SerializationTests
{
    public static TheoryData<string> Kinds => new(CrdKinds.All);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_round_trips_through_kubernetes_json(string kind)
    {
        var (json, type) = Serialize(kind);

        var back = Deserialize(json, type);

        Assert.NotNull(back);
        Assert.Equal(json, KubernetesJson.Serialize(back));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Fully_populated_objects_conform_to_the_crd_schema_so_names_and_types_agree(string kind)
    {
        var (json, _) = Serialize(kind);
        var problems = SchemaConformance.Problems(JsonNode.Parse(json)!, Crds.Crds.Root(kind));

        Assert.Empty(problems);
    }

    [Fact]
    public void Wire_format_is_camel_case_with_enum_names_rfc3339_times_and_no_nulls()
    {
        var json = KubernetesJson.Serialize(Fixtures.Project());
        var auditJson = KubernetesJson.Serialize(Fixtures.AuditRun());
        var minimal = KubernetesJson.Serialize(new Project
        {
            Metadata = new V1ObjectMeta { Name = "shop" },
            Spec = new ProjectSpec { ClientAccountRef = new LocalObjectReference { Name = "acme" }, Version = "1" },
        });

        Assert.StartsWith("{\"apiVersion\":\"openkbs.com/v1alpha1\",\"kind\":\"Project\"", json, StringComparison.Ordinal);
        Assert.Contains("\"memoryMb\":256", json, StringComparison.Ordinal);
        Assert.Contains("\"s3\":{\"bucket\":\"openkbs-artifacts\"", json, StringComparison.Ordinal);
        Assert.Contains("\"deletionPolicy\":\"Delete\"", json, StringComparison.Ordinal);
        Assert.Contains("\"createdAt\":\"2026-11-26T14:00:00Z\"", json, StringComparison.Ordinal);
        Assert.Contains("\"failOn\":\"high\"", auditJson, StringComparison.Ordinal);
        Assert.Contains("\"checks\":[\"secrets\",\"dependencies\"]", auditJson, StringComparison.Ordinal);
        Assert.Equal(
            "{\"apiVersion\":\"openkbs.com/v1alpha1\",\"kind\":\"Project\",\"metadata\":{\"name\":\"shop\"},\"spec\":{\"clientAccountRef\":{\"name\":\"acme\"},\"version\":\"1\",\"deletionPolicy\":\"Retain\"}}",
            minimal);
    }

    [Fact]
    public void A_manifest_without_spec_is_refused_like_the_schema_refuses_it()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() =>
            KubernetesJson.Deserialize<ClientAccount>("{\"apiVersion\":\"openkbs.com/v1alpha1\",\"kind\":\"ClientAccount\",\"metadata\":{\"name\":\"x\"}}"));
    }

    [Fact]
    public void Absent_optional_fields_read_as_the_schema_defaults()
    {
        var account = KubernetesJson.Deserialize<ClientAccount>(
            "{\"apiVersion\":\"openkbs.com/v1alpha1\",\"kind\":\"ClientAccount\",\"metadata\":{\"name\":\"acme\"},\"spec\":{\"email\":\"aws+acme@example.com\"}}");

        Assert.Equal(EuRegions.EuCentral1, account.Spec.Region);
        Assert.Equal([EuRegions.EuCentral1], account.Spec.AllowedRegions);
        Assert.Equal("OrganizationAccountAccessRole", account.Spec.AccessRoleName);
        Assert.Equal(AccountDeletionPolicy.Retain, account.Spec.DeletionPolicy);
        Assert.Null(account.Status);
    }

    [Fact]
    public void A_list_response_reads_as_custom_resource_list()
    {
        var json = "{\"apiVersion\":\"openkbs.com/v1alpha1\",\"kind\":\"ClientAccountList\",\"metadata\":{\"resourceVersion\":\"7\"},\"items\":[" +
            KubernetesJson.Serialize(Fixtures.ClientAccount()) + "]}";

        var list = KubernetesJson.Deserialize<CustomResourceList<ClientAccount>>(json);

        Assert.Equal("7", list.Metadata.ResourceVersion);
        Assert.Equal("111111111111", Assert.Single(list.Items).Status!.AccountId);
    }

    private static (string Json, Type Type) Serialize(string kind) => kind switch
    {
        "ClientAccount" => (KubernetesJson.Serialize(Fixtures.ClientAccount()), typeof(ClientAccount)),
        "Project" => (KubernetesJson.Serialize(Fixtures.Project()), typeof(Project)),
        "AuditRun" => (KubernetesJson.Serialize(Fixtures.AuditRun()), typeof(AuditRun)),
        "AccountTransfer" => (KubernetesJson.Serialize(Fixtures.AccountTransfer()), typeof(AccountTransfer)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static object Deserialize(string json, Type type) =>
        typeof(KubernetesJson).GetMethod(nameof(KubernetesJson.Deserialize), [typeof(string), typeof(System.Text.Json.JsonSerializerOptions)])!
            .MakeGenericMethod(type)
            .Invoke(null, [json, null])!;
}
