using System.Text.Json;
using OpenKbs.Aws.AccountManagement.Model;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Iam;
using OpenKbs.Aws.Iam.Model;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Aws.Tests.Iam;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;
using static OpenKbs.Aws.Tests.WireCheck.WireCheckRunner;

namespace OpenKbs.Aws.Tests.WireCheck;

/// <summary>
/// Every hand-written operation checked against an independent client, the official AWS SDK for JavaScript v3: what ours writes,
/// theirs reads back from moto, and what theirs writes, ours reads back (three node batches). Account Management, which moto does
/// not emulate, is checked by sending the same calls from both clients to a capture endpoint and comparing the requests.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class WireCheckTests(MotoServerFixture moto) : IAsyncLifetime
{
    private const string Scp = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}""";

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Organizations_and_iam_agree_with_the_aws_sdk_for_javascript()
    {
        using var host = new AwsTestHost(moto);
        var aws = host.Factory.ForManagement(AwsTestHost.Actor());
        var org = aws.Organizations;
        var iam = aws.Iam;

        // 1. Ours writes.
        var orgId = (await org.CreateOrganizationAsync(new CreateOrganizationRequest { FeatureSet = "ALL" })).Organization!.Id!;
        var root = (await org.ListRootsAsync(new())).Roots[0].Id!;
        await org.EnablePolicyTypeAsync(new EnablePolicyTypeRequest { RootId = root, PolicyType = "SERVICE_CONTROL_POLICY" });
        var car = (await org.CreateAccountAsync(new CreateAccountRequest { Email = "a@example.com", AccountName = "a" })).CreateAccountStatus!.Id!;
        var a = (await org.DescribeCreateAccountStatusAsync(new DescribeCreateAccountStatusRequest { CreateAccountRequestId = car })).CreateAccountStatus!.AccountId!;
        var leaving = (await org.CreateAccountAsync(new CreateAccountRequest { Email = "c@example.com", AccountName = "c" })).CreateAccountStatus!.AccountId!;
        var ou1 = (await org.CreateOrganizationalUnitAsync(new CreateOrganizationalUnitRequest { ParentId = root, Name = "ours" })).OrganizationalUnit!.Id!;
        await org.MoveAccountAsync(new MoveAccountRequest { AccountId = a, SourceParentId = root, DestinationParentId = ou1 });
        var p1 = (await org.CreatePolicyAsync(new CreatePolicyRequest { Name = "p1", Description = "d1", Type = "SERVICE_CONTROL_POLICY", Content = Scp })).Policy!.PolicySummary!.Id!;
        await org.UpdatePolicyAsync(new UpdatePolicyRequest { PolicyId = p1, Description = "d1-updated" });
        await org.AttachPolicyAsync(new AttachPolicyRequest { PolicyId = p1, TargetId = ou1 });
        await org.TagResourceAsync(new TagResourceRequest { ResourceId = a, Tags = [new OpenKbs.Aws.Organizations.Model.Tag { Key = "owner", Value = "tenants/acme" }] });
        await iam.CreateRoleAsync(new CreateRoleRequest { RoleName = "r1", AssumeRolePolicyDocument = IamClientTests.Trust, Description = "ours" });
        var trust2 = IamClientTests.Trust.Replace("lambda.amazonaws.com", "scheduler.amazonaws.com", StringComparison.Ordinal);
        await iam.UpdateAssumeRolePolicyAsync(new UpdateAssumeRolePolicyRequest { RoleName = "r1", PolicyDocument = trust2 });
        await iam.PutRolePolicyAsync(new PutRolePolicyRequest { RoleName = "r1", PolicyName = "inline", PolicyDocument = IamClientTests.Inline });
        await iam.TagRoleAsync(new TagRoleRequest { RoleName = "r1", Tags = [new OpenKbs.Aws.Iam.Model.Tag { Key = "team", Value = "x" }] });

        // 2. Theirs reads what ours wrote, and writes for ours to read.
        var r = await RunAsync(
            moto.Endpoint,
            new Step("organizations", "DescribeOrganization"),
            new Step("organizations", "ListRoots"),
            new Step("organizations", "DescribeCreateAccountStatus", new { CreateAccountRequestId = car }),
            new Step("organizations", "ListParents", new { ChildId = a }),
            new Step("organizations", "ListOrganizationalUnitsForParent", new { ParentId = root }),
            new Step("organizations", "DescribePolicy", new { PolicyId = p1 }),
            new Step("organizations", "ListTargetsForPolicy", new { PolicyId = p1 }),
            new Step("organizations", "ListTagsForResource", new { ResourceId = a }),
            new Step("iam", "GetRole", new { RoleName = "r1" }),
            new Step("iam", "GetRolePolicy", new { RoleName = "r1", PolicyName = "inline" }),
            new Step("iam", "ListRoleTags", new { RoleName = "r1" }),
            new Step("organizations", "CreateAccount", new { Email = "b@example.com", AccountName = "b" }),
            new Step("organizations", "CreateOrganizationalUnit", new { ParentId = root, Name = "theirs" }),
            new Step("organizations", "CreatePolicy", new { Name = "p2", Description = "d2", Type = "SERVICE_CONTROL_POLICY", Content = Scp }),
            new Step("iam", "CreatePolicy", new { PolicyName = "managed", PolicyDocument = IamClientTests.Inline }),
            new Step("iam", "CreateRole", new { RoleName = "r2", AssumeRolePolicyDocument = IamClientTests.Trust, Tags = new[] { new { Key = "k", Value = "v" } } }),
            new Step("iam", "PutRolePolicy", new { RoleName = "r2", PolicyName = "theirs", PolicyDocument = IamClientTests.Inline }));
        Assert.All(r, e => Assert.True(e.GetProperty("ok").GetBoolean(), e.ToString()));
        Assert.Equal(orgId, Out(r[0]).GetProperty("Organization").GetProperty("Id").GetString());
        Assert.Contains(Out(r[1]).GetProperty("Roots")[0].GetProperty("PolicyTypes").EnumerateArray(), t => t.GetProperty("Type").GetString() == "SERVICE_CONTROL_POLICY");
        Assert.Equal(a, Out(r[2]).GetProperty("CreateAccountStatus").GetProperty("AccountId").GetString());
        Assert.Equal(ou1, Out(r[3]).GetProperty("Parents")[0].GetProperty("Id").GetString());
        Assert.Contains(Out(r[4]).GetProperty("OrganizationalUnits").EnumerateArray(), o => o.GetProperty("Name").GetString() == "ours");
        Assert.Equal("d1-updated", Out(r[5]).GetProperty("Policy").GetProperty("PolicySummary").GetProperty("Description").GetString());
        Assert.Equal(Scp, Out(r[5]).GetProperty("Policy").GetProperty("Content").GetString());
        Assert.Contains(Out(r[6]).GetProperty("Targets").EnumerateArray(), t => t.GetProperty("TargetId").GetString() == ou1);
        Assert.Contains(Out(r[7]).GetProperty("Tags").EnumerateArray(), t => t.GetProperty("Key").GetString() == "owner" && t.GetProperty("Value").GetString() == "tenants/acme");
        Assert.Equal(trust2, IamClientTests.Normalize(IamClient.DecodeDocument(Out(r[8]).GetProperty("Role").GetProperty("AssumeRolePolicyDocument").GetString())));
        Assert.Equal("ours", Out(r[8]).GetProperty("Role").GetProperty("Description").GetString());
        Assert.Equal(IamClientTests.Inline, IamClientTests.Normalize(IamClient.DecodeDocument(Out(r[9]).GetProperty("PolicyDocument").GetString())));
        Assert.Contains(Out(r[10]).GetProperty("Tags").EnumerateArray(), t => t.GetProperty("Key").GetString() == "team");
        var theirCar = Out(r[11]).GetProperty("CreateAccountStatus").GetProperty("Id").GetString()!;
        var ou2 = Out(r[12]).GetProperty("OrganizationalUnit").GetProperty("Id").GetString()!;
        var p2 = Out(r[13]).GetProperty("Policy").GetProperty("PolicySummary").GetProperty("Id").GetString()!;
        var managed = Out(r[14]).GetProperty("Policy").GetProperty("Arn").GetString()!;

        // 3. Ours reads what theirs wrote, then writes the rest.
        var b = (await org.DescribeCreateAccountStatusAsync(new DescribeCreateAccountStatusRequest { CreateAccountRequestId = theirCar })).CreateAccountStatus!.AccountId!;
        Assert.Equal("b@example.com", (await org.DescribeAccountAsync(new DescribeAccountRequest { AccountId = b })).Account!.Email);
        Assert.Contains((await org.ListAccountsAsync(new())).Accounts, x => x.Id == b);
        Assert.Contains((await org.ListCreateAccountStatusAsync(new())).CreateAccountStatuses, s => s.Id == theirCar);
        Assert.Contains((await org.ListOrganizationalUnitsForParentAsync(new ListOrganizationalUnitsForParentRequest { ParentId = root })).OrganizationalUnits, o => o.Id == ou2);
        Assert.Equal(Scp, (await org.DescribePolicyAsync(new DescribePolicyRequest { PolicyId = p2 })).Policy!.Content);
        Assert.Contains((await org.ListPoliciesAsync(new ListPoliciesRequest { Filter = "SERVICE_CONTROL_POLICY" })).Policies, p => p.Id == p2 && p.Name == "p2");
        await org.AttachPolicyAsync(new AttachPolicyRequest { PolicyId = p2, TargetId = ou2 });
        await org.MoveAccountAsync(new MoveAccountRequest { AccountId = b, SourceParentId = root, DestinationParentId = ou2 });
        Assert.Equal(ou2, (await org.ListParentsAsync(new ListParentsRequest { ChildId = b })).Parents[0].Id);
        Assert.Contains((await org.ListPoliciesForTargetAsync(new ListPoliciesForTargetRequest { TargetId = ou2, Filter = "SERVICE_CONTROL_POLICY" })).Policies, p => p.Id == p2);
        Assert.Contains((await org.ListTargetsForPolicyAsync(new ListTargetsForPolicyRequest { PolicyId = p2 })).Targets, t => t.TargetId == ou2);
        Assert.Equal(IamClientTests.Trust, IamClientTests.Normalize((await iam.GetRoleAsync(new GetRoleRequest { RoleName = "r2" })).Role!.AssumeRolePolicyDocument));
        Assert.Equal(IamClientTests.Inline, IamClientTests.Normalize((await iam.GetRolePolicyAsync(new GetRolePolicyRequest { RoleName = "r2", PolicyName = "theirs" })).PolicyDocument));
        Assert.Equal(["theirs"], (await iam.ListRolePoliciesAsync(new ListRolePoliciesRequest { RoleName = "r2" })).PolicyNames);
        Assert.Equal("v", Assert.Single((await iam.ListRoleTagsAsync(new ListRoleTagsRequest { RoleName = "r2" })).Tags).Value);
        await iam.AttachRolePolicyAsync(new AttachRolePolicyRequest { RoleName = "r1", PolicyArn = managed });
        Assert.Equal(managed, Assert.Single((await iam.ListAttachedRolePoliciesAsync(new ListAttachedRolePoliciesRequest { RoleName = "r1" })).AttachedPolicies).PolicyArn);

        await org.DetachPolicyAsync(new DetachPolicyRequest { PolicyId = p1, TargetId = ou1 });
        await org.UntagResourceAsync(new UntagResourceRequest { ResourceId = a, TagKeys = ["owner"] });
        await org.CloseAccountAsync(new CloseAccountRequest { AccountId = b });
        await org.RemoveAccountFromOrganizationAsync(new RemoveAccountFromOrganizationRequest { AccountId = leaving });
        await iam.DetachRolePolicyAsync(new DetachRolePolicyRequest { RoleName = "r1", PolicyArn = managed });
        await iam.UntagRoleAsync(new UntagRoleRequest { RoleName = "r1", TagKeys = ["team"] });
        await iam.DeleteRolePolicyAsync(new DeleteRolePolicyRequest { RoleName = "r1", PolicyName = "inline" });
        await iam.DeleteRoleAsync(new DeleteRoleRequest { RoleName = "r1" });

        // 4. Theirs sees the effects.
        var f = await RunAsync(
            moto.Endpoint,
            new Step("organizations", "ListPoliciesForTarget", new { TargetId = ou1, Filter = "SERVICE_CONTROL_POLICY" }),
            new Step("organizations", "ListTagsForResource", new { ResourceId = a }),
            new Step("organizations", "DescribeAccount", new { AccountId = b }),
            new Step("organizations", "ListAccounts"),
            new Step("iam", "GetRole", new { RoleName = "r1" }));
        Assert.DoesNotContain(Out(f[0]).GetProperty("Policies").EnumerateArray(), p => p.GetProperty("Id").GetString() == p1);
        Assert.DoesNotContain(Out(f[1]).GetProperty("Tags").EnumerateArray(), t => t.GetProperty("Key").GetString() == "owner");
        Assert.Contains(Out(f[2]).GetProperty("Account").GetProperty("Status").GetString(), new[] { "SUSPENDED", "PENDING_CLOSURE" });
        Assert.DoesNotContain(Out(f[3]).GetProperty("Accounts").EnumerateArray(), x => x.GetProperty("Id").GetString() == leaving);
        Assert.False(f[4].GetProperty("ok").GetBoolean());
        Assert.Equal("NoSuchEntityException", f[4].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Account_management_requests_match_the_aws_sdk_for_javascript()
    {
        using var capture = new CaptureServer("""{"PrimaryEmail":"root@example.com","Status":"PENDING","ContactInformation":{"FullName":"Ada"}}""");
        using var host = new AwsTestHost(moto, configure: o => o.ServiceEndpoints["ACCOUNT"] = capture.Endpoint);
        var account = host.Factory.ForManagement(AwsTestHost.Actor()).Account;
        Assert.Equal("root@example.com", (await account.GetPrimaryEmailAsync(new GetPrimaryEmailRequest { AccountId = "111122223333" })).PrimaryEmail);
        Assert.Equal("PENDING", (await account.StartPrimaryEmailUpdateAsync(new StartPrimaryEmailUpdateRequest { AccountId = "111122223333", PrimaryEmail = "new@example.com" })).Status);
        Assert.Equal("PENDING", (await account.AcceptPrimaryEmailUpdateAsync(new AcceptPrimaryEmailUpdateRequest { AccountId = "111122223333", PrimaryEmail = "new@example.com", Otp = "Ab12Cd" })).Status);
        Assert.Equal("Ada", (await account.GetContactInformationAsync(new GetContactInformationRequest { AccountId = "111122223333" })).ContactInformation!.FullName);
        var ours = capture.Requests.ToArray();

        var endpoint = capture.Endpoint.ToString().TrimEnd('/');
        var theirs = await RunAsync(
            moto.Endpoint,
            new Step("account", "GetPrimaryEmail", new { AccountId = "111122223333" }, endpoint),
            new Step("account", "StartPrimaryEmailUpdate", new { AccountId = "111122223333", PrimaryEmail = "new@example.com" }, endpoint),
            new Step("account", "AcceptPrimaryEmailUpdate", new { AccountId = "111122223333", PrimaryEmail = "new@example.com", Otp = "Ab12Cd" }, endpoint),
            new Step("account", "GetContactInformation", new { AccountId = "111122223333" }, endpoint));
        Assert.All(theirs, e => Assert.True(e.GetProperty("ok").GetBoolean(), e.ToString()));
        var reference = capture.Requests.Skip(ours.Length).ToArray();

        Assert.Equal(4, ours.Length);
        Assert.Equal(4, reference.Length);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(reference[i].Method, ours[i].Method);
            Assert.Equal(reference[i].Path, ours[i].Path);
            Assert.Equal(reference[i].Scope, ours[i].Scope);
            Assert.Equal("us-east-1/account/aws4_request", ours[i].Scope);
            Assert.StartsWith("application/json", ours[i].ContentType, StringComparison.Ordinal);
            Assert.Equal(Canonical(reference[i].Body), Canonical(ours[i].Body));
        }
    }

    private static JsonElement Out(JsonElement result) => result.GetProperty("output");

    private static string Canonical(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).ToDictionary(p => p.Name, p => p.Value.ToString()));
    }
}
