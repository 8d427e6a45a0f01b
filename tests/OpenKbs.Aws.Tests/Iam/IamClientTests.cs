using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Iam.Model;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Aws.Tests.Iam;

[Collection(MotoCollection.Name)]
public sealed class IamClientTests(MotoServerFixture moto) : IAsyncLifetime
{
    internal const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    internal const string Inline = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::shop-assets/*"}]}""";

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Every_role_operation_works_against_moto()
    {
        using var host = new AwsTestHost(moto);
        var iam = host.Factory.ForManagement(AwsTestHost.Actor("shop")).Iam;

        var role = (await iam.CreateRoleAsync(new CreateRoleRequest
        {
            RoleName = "shop-fn",
            AssumeRolePolicyDocument = Trust,
            Description = "shop functions",
            MaxSessionDuration = 3600,
            Tags = [new Tag { Key = "openkbs.com/managed-by", Value = "openkbs" }],
        })).Role!;
        Assert.Equal("arn:aws:iam::123456789012:role/shop-fn", role.Arn);

        var conflict = await Assert.ThrowsAsync<AwsServiceException>(() => iam.CreateRoleAsync(new CreateRoleRequest { RoleName = "shop-fn", AssumeRolePolicyDocument = Trust }));
        Assert.Equal("EntityAlreadyExists", conflict.ErrorCode);
        Assert.True(conflict.IsConflict);

        var got = (await iam.GetRoleAsync(new GetRoleRequest { RoleName = "shop-fn" })).Role!;
        Assert.Equal(Trust, Normalize(got.AssumeRolePolicyDocument));
        Assert.Equal("shop functions", got.Description);
        Assert.Equal(3600, got.MaxSessionDuration);

        var newTrust = Trust.Replace("lambda.amazonaws.com", "scheduler.amazonaws.com", StringComparison.Ordinal);
        await iam.UpdateAssumeRolePolicyAsync(new UpdateAssumeRolePolicyRequest { RoleName = "shop-fn", PolicyDocument = newTrust });
        Assert.Equal(newTrust, Normalize((await iam.GetRoleAsync(new GetRoleRequest { RoleName = "shop-fn" })).Role!.AssumeRolePolicyDocument));

        for (var i = 0; i < 3; i++)
        {
            await iam.PutRolePolicyAsync(new PutRolePolicyRequest { RoleName = "shop-fn", PolicyName = $"p{i}", PolicyDocument = Inline });
        }

        Assert.Equal(Inline, Normalize((await iam.GetRolePolicyAsync(new GetRolePolicyRequest { RoleName = "shop-fn", PolicyName = "p0" })).PolicyDocument));
        var names = (await iam.ListRolePoliciesAsync(new ListRolePoliciesRequest { RoleName = "shop-fn", MaxItems = 2 })).PolicyNames;
        Assert.Equal(["p0", "p1", "p2"], names.Order(StringComparer.Ordinal));

        await iam.TagRoleAsync(new TagRoleRequest { RoleName = "shop-fn", Tags = [new Tag { Key = "env", Value = "prod" }, new Tag { Key = "team", Value = "a" }] });
        var tags = (await iam.ListRoleTagsAsync(new ListRoleTagsRequest { RoleName = "shop-fn" })).Tags;
        Assert.Equal(["env", "openkbs.com/managed-by", "team"], tags.Select(t => t.Key).Order(StringComparer.Ordinal));
        await iam.UntagRoleAsync(new UntagRoleRequest { RoleName = "shop-fn", TagKeys = ["team"] });
        Assert.DoesNotContain((await iam.ListRoleTagsAsync(new ListRoleTagsRequest { RoleName = "shop-fn" })).Tags, t => t.Key == "team");

        // moto does not load AWS-managed policies: create a customer-managed one with an independent client (the aws CLI).
        var created = await AwsCli.RunAsync(moto.Endpoint, "iam", "create-policy", "--policy-name", "shop-read", "--policy-document", Inline);
        var managed = created.Json().GetProperty("Policy").GetProperty("Arn").GetString()!;
        await iam.AttachRolePolicyAsync(new AttachRolePolicyRequest { RoleName = "shop-fn", PolicyArn = managed });
        Assert.Equal(managed, Assert.Single((await iam.ListAttachedRolePoliciesAsync(new ListAttachedRolePoliciesRequest { RoleName = "shop-fn" })).AttachedPolicies).PolicyArn);

        var blocked = await Assert.ThrowsAsync<AwsServiceException>(() => iam.DeleteRoleAsync(new DeleteRoleRequest { RoleName = "shop-fn" }));
        Assert.Equal("DeleteConflict", blocked.ErrorCode);
        Assert.True(blocked.IsConflict);

        await iam.DetachRolePolicyAsync(new DetachRolePolicyRequest { RoleName = "shop-fn", PolicyArn = managed });
        Assert.Empty((await iam.ListAttachedRolePoliciesAsync(new ListAttachedRolePoliciesRequest { RoleName = "shop-fn" })).AttachedPolicies);
        foreach (var name in names)
        {
            await iam.DeleteRolePolicyAsync(new DeleteRolePolicyRequest { RoleName = "shop-fn", PolicyName = name });
        }

        await iam.DeleteRoleAsync(new DeleteRoleRequest { RoleName = "shop-fn" });
        var notFound = await Assert.ThrowsAsync<AwsServiceException>(() => iam.GetRoleAsync(new GetRoleRequest { RoleName = "shop-fn" }));
        Assert.Equal("NoSuchEntity", notFound.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, notFound.HttpStatus);
        Assert.True(notFound.IsNotFound);
        Assert.False(string.IsNullOrEmpty(notFound.RequestId));

        var records = host.Audit.Records.ToList();
        Assert.Equal(15, records.Count); // 1 + 1 failed CreateRole, UpdateAssumeRolePolicy, 3 Put, Tag, Untag, Attach, 1 failed DeleteRole, Detach, 3 DeleteRolePolicy, DeleteRole
        Assert.Equal(2, records.Count(r => r.Outcome == AuditOutcome.Failure));
        Assert.Contains(records, r => r is { Action: "iam:CreateRole", Outcome: AuditOutcome.Failure, ErrorCode: "EntityAlreadyExists" });
        Assert.Equal("arn:aws:iam::123456789012:role/shop-fn", records[0].Resource);
        Assert.All(records, r => Assert.StartsWith("iam:", r.Action, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListRoles_follows_every_page_decodes_each_trust_policy_and_audits_nothing()
    {
        using var host = new AwsTestHost(moto);
        var iam = host.Factory.ForManagement(AwsTestHost.Actor("shop")).Iam;
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await iam.CreateRoleAsync(new CreateRoleRequest { RoleName = $"shop-{i}", AssumeRolePolicyDocument = Trust, Path = i == 4 ? "/jobs/" : null })).Role!.RoleName!);
        }

        var before = host.Audit.Records.Count;

        var roles = (await iam.ListRolesAsync(new ListRolesRequest { MaxItems = 2 })).Roles;

        Assert.Equal(created, roles.Select(r => r.RoleName).Where(n => n!.StartsWith("shop-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.All(roles.Where(r => r.RoleName!.StartsWith("shop-", StringComparison.Ordinal)), r => Assert.Equal(Trust, Normalize(r.AssumeRolePolicyDocument)));
        Assert.Equal("arn:aws:iam::123456789012:role/jobs/shop-4", roles.Single(r => r.RoleName == "shop-4").Arn);
        Assert.Equal(["shop-4"], (await iam.ListRolesAsync(new ListRolesRequest { PathPrefix = "/jobs/" })).Roles.Select(r => r.RoleName));
        Assert.Equal(before, host.Audit.Records.Count);
    }

    internal static string? Normalize(string? json) =>
        json is null ? null : System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonDocument.Parse(json).RootElement);
}
