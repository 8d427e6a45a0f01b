using OpenKbs.Api;
using OpenKbs.Controllers.Projects.Components.Access;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>
/// The access delta is a pure function of desired and observed: each thing that can drift around the access function (the signing
/// key's owner tags and key policy, the code object, the Function URL and its auth type, the CloudFront statement of the resource policy, the
/// layer) names exactly its path, and what AWS reports for a converged project names none.
/// </summary>
public sealed class AccessDeltaTests
{
    private const string Account = "111122223333";
    private const string Function = "tenants-shop-1a2b3c4d_access";
    private const string Distribution = "arn:aws:cloudfront::111122223333:distribution/E1";

    private static readonly Dictionary<string, string> Owner = new(StringComparer.Ordinal) { [Labels.Uid] = "u1", [Labels.Owner] = "tenants/shop" };

    private static readonly AccessDesired Desired = new(
        Function,
        "okbs-b",
        AccessNames.CodeKey("abc"),
        Owner,
        AccessRendering.UrlAuthType,
        AccessRendering.CloudFrontPermission(Account, "E1"),
        "okbs-tenants-shop-1a2b3c4d-auth",
        AccessRendering.LayerDescription("def"),
        AccessRendering.SigningKeyPolicy(Account));

    /// <summary>The resource policy as moto renders AddPermission (Principal as a service, SourceArn as ArnLike).</summary>
    private static readonly string MotoPolicy = Policy(Fill("""
        {"Sid":"openkbs-cloudfront","Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"lambda:InvokeFunctionUrl",
         "Resource":"arn:aws:lambda:eu-central-1:ACCOUNT:function:FUNCTION","Condition":{"ArnLike":{"AWS:SourceArn":"DISTRIBUTION"}}}
        """));

    private static readonly AccessObservation Converged = new(
        [.. Owner, KeyValuePair.Create("cost-centre", "42")],
        new StoredCode("v1"),
        new FunctionUrlObservation("https://abc.lambda-url.eu-central-1.on.aws/", "AWS_IAM"),
        MotoPolicy,
        new LayerObservation("arn:aws:lambda:eu-central-1:111122223333:layer:okbs-tenants-shop-1a2b3c4d-auth:3", 3, AccessRendering.LayerDescription("def")),
        System.Text.Json.Nodes.JsonNode.Parse(AccessRendering.SigningKeyPolicy(Account))!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

    [Fact]
    public void A_converged_access_function_has_no_delta() => Assert.True(AccessDelta.Between(Desired, Converged).IsEmpty);

    [Fact]
    public void The_statement_as_AWS_renders_it_with_the_auth_type_condition_and_other_statements_matches_too()
    {
        var aws = Policy(Fill("""
            {"Sid":"other","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"x"},
            {"Sid":"openkbs-cloudfront","Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"lambda:InvokeFunctionUrl","Resource":"x",
             "Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"AWS_IAM"},"ArnLike":{"AWS:SourceArn":"DISTRIBUTION"}}}
            """));

        Assert.True(AccessDelta.Between(Desired, Converged with { ResourcePolicy = aws }).IsEmpty);
    }

    [Fact]
    public void Without_a_distribution_the_resource_policy_is_not_compared()
    {
        var delta = AccessDelta.Between(Desired with { CloudFrontPermission = null }, Converged with { ResourcePolicy = null });

        Assert.True(delta.IsEmpty);
    }

    [Fact]
    public void Nothing_there_needs_every_path_in_write_order()
    {
        var delta = AccessDelta.Between(Desired, new AccessObservation([], null, null, null, null));

        Assert.Equal(
            [AccessDelta.SigningKeyTags, AccessDelta.SigningKeyPolicy, AccessDelta.Code, AccessDelta.Url, AccessDelta.CloudFrontPermission, AccessDelta.Layer],
            delta.Paths);
        Assert.Equal(Owner, delta.MissingKeyTags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal));
        Assert.False(delta.ReplacesPermission);
        Assert.Equal([AccessDelta.SigningKeyTags, AccessDelta.SigningKeyPolicy, AccessDelta.Code], delta.In(AccessDelta.PreparationPaths));
        Assert.Equal([AccessDelta.Url, AccessDelta.CloudFrontPermission, AccessDelta.Layer], delta.In(AccessDelta.EndpointPaths));
    }

    private static readonly Dictionary<string, (string Path, Func<AccessObservation, AccessObservation> Drift)> DriftCases = new(StringComparer.Ordinal)
    {
        ["SigningKeyTags-uid-removed"] = (AccessDelta.SigningKeyTags, o => o with { SigningKeyTags = [.. o.SigningKeyTags.Where(t => t.Key != Labels.Uid)] }),
        ["SigningKeyTags-owner-changed"] = (AccessDelta.SigningKeyTags, o => o with { SigningKeyTags = [.. o.SigningKeyTags.Where(t => t.Key != Labels.Owner), KeyValuePair.Create(Labels.Owner, "x/y")] }),
        ["SigningKeyPolicy-opened"] = (AccessDelta.SigningKeyPolicy, o => o with { SigningKeyPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]}""" }),
        ["SigningKeyPolicy-unreadable"] = (AccessDelta.SigningKeyPolicy, o => o with { SigningKeyPolicy = null }),
        ["Code-deleted"] = (AccessDelta.Code, o => o with { Code = null }),
        ["Url-deleted"] = (AccessDelta.Url, o => o with { Url = null }),
        ["UrlAuthType-opened"] = (AccessDelta.UrlAuthType, o => o with { Url = o.Url! with { AuthType = "NONE" } }),
        ["CloudFrontPermission-no-policy"] = (AccessDelta.CloudFrontPermission, o => o with { ResourcePolicy = null }),
        ["CloudFrontPermission-statement-removed"] = (AccessDelta.CloudFrontPermission, o => o with
        {
            ResourcePolicy = Policy("""{"Sid":"other","Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"lambda:InvokeFunctionUrl","Resource":"x"}"""),
        }),
        ["CloudFrontPermission-other-distribution"] = (AccessDelta.CloudFrontPermission, o => o with { ResourcePolicy = MotoPolicy.Replace("distribution/E1", "distribution/E9", StringComparison.Ordinal) }),
        ["CloudFrontPermission-no-source"] = (AccessDelta.CloudFrontPermission, o => o with { ResourcePolicy = MotoPolicy.Replace("\"AWS:SourceArn\"", "\"AWS:SourceAccount\"", StringComparison.Ordinal) }),
        ["CloudFrontPermission-any-principal"] = (AccessDelta.CloudFrontPermission, o => o with { ResourcePolicy = MotoPolicy.Replace("{\"Service\":\"cloudfront.amazonaws.com\"}", "\"*\"", StringComparison.Ordinal) }),
        ["CloudFrontPermission-other-action"] = (AccessDelta.CloudFrontPermission, o => o with { ResourcePolicy = MotoPolicy.Replace("lambda:InvokeFunctionUrl", "lambda:*", StringComparison.Ordinal) }),
        ["CloudFrontPermission-deny"] = (AccessDelta.CloudFrontPermission, o => o with { ResourcePolicy = MotoPolicy.Replace("\"Allow\"", "\"Deny\"", StringComparison.Ordinal) }),
        ["CloudFrontPermission-unreadable"] = (AccessDelta.CloudFrontPermission, o => o with { ResourcePolicy = "{not json" }),
        ["Layer-none"] = (AccessDelta.Layer, o => o with { NewestLayer = null }),
        ["Layer-foreign-newest"] = (AccessDelta.Layer, o => o with { NewestLayer = o.NewestLayer! with { Version = 4, Description = "not the operator's helper" } }),
        ["Layer-older-helper"] = (AccessDelta.Layer, o => o with { NewestLayer = o.NewestLayer! with { Description = AccessRendering.LayerDescription("old") } }),
    };

    public static TheoryData<string> Drifts => [.. DriftCases.Keys];

    [Theory]
    [MemberData(nameof(Drifts))]
    public void Each_drift_names_exactly_its_path(string drift)
    {
        var (path, change) = DriftCases[drift];
        var delta = AccessDelta.Between(Desired, change(Converged));

        Assert.Equal([path], delta.Paths);
        Assert.Equal(path == AccessDelta.SigningKeyTags, delta.MissingKeyTags.Count > 0);
        Assert.Equal(drift == "Layer-foreign-newest", delta.ForeignNewestLayer is not null); // an older helper is an upgrade, not drift
    }

    [Fact]
    public void A_changed_statement_under_the_operators_id_is_replaced_a_missing_one_only_added()
    {
        var changed = AccessDelta.Between(Desired, Converged with { ResourcePolicy = MotoPolicy.Replace("distribution/E1", "distribution/E9", StringComparison.Ordinal) });
        var missing = AccessDelta.Between(Desired, Converged with { ResourcePolicy = null });

        Assert.True(changed.ReplacesPermission);
        Assert.False(missing.ReplacesPermission);
    }

    [Fact]
    public void The_observed_auth_type_is_kept_for_the_event_and_only_missing_owner_tags_are_written()
    {
        var delta = AccessDelta.Between(Desired, Converged with
        {
            Url = Converged.Url! with { AuthType = "NONE" },
            SigningKeyTags = [KeyValuePair.Create(Labels.Uid, "u1"), KeyValuePair.Create("cost-centre", "42")],
        });

        Assert.Equal("NONE", delta.ObservedAuthType);
        Assert.Equal([KeyValuePair.Create(Labels.Owner, "tenants/shop")], delta.MissingKeyTags);
        Assert.Equal([AccessDelta.SigningKeyTags, AccessDelta.UrlAuthType], delta.Paths);
    }

    private static string Fill(string statements) => statements
        .Replace("ACCOUNT", Account, StringComparison.Ordinal)
        .Replace("FUNCTION", Function, StringComparison.Ordinal)
        .Replace("DISTRIBUTION", Distribution, StringComparison.Ordinal);

    private static string Policy(string statements) => $$"""{"Version":"2012-10-17","Id":"default","Statement":[{{statements}}]}""";
}
