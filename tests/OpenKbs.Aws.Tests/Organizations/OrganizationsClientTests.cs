using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Aws.Tests.Organizations;

[Collection(MotoCollection.Name)]
public sealed class OrganizationsClientTests(MotoServerFixture moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Every_operation_works_against_moto_and_each_mutation_is_audited_once()
    {
        using var host = new AwsTestHost(moto);
        var org = host.Factory.ForManagement(AwsTestHost.Actor()).Organizations;

        var missing = await Assert.ThrowsAsync<AwsServiceException>(() => org.DescribeOrganizationAsync(new()));
        Assert.Equal("AWSOrganizationsNotInUseException", missing.ErrorCode);
        Assert.True(missing.IsNotFound);

        var created = await org.CreateOrganizationAsync(new CreateOrganizationRequest { FeatureSet = "ALL" });
        Assert.StartsWith("o-", created.Organization!.Id, StringComparison.Ordinal);
        Assert.Equal(created.Organization.Id, (await org.DescribeOrganizationAsync(new())).Organization!.Id);

        var root = Assert.Single((await org.ListRootsAsync(new())).Roots);
        Assert.StartsWith("r-", root.Id, StringComparison.Ordinal);

        var creation = await org.CreateAccountAsync(new CreateAccountRequest
        {
            Email = "acme@example.com",
            AccountName = "acme",
            RoleName = "OrganizationAccountAccessRole",
            Tags = [new Tag { Key = "openkbs.com/owner", Value = "tenants/ClientAccount/acme" }],
        });
        var requestId = creation.CreateAccountStatus!.Id!;
        Assert.StartsWith("car-", requestId, StringComparison.Ordinal);
        var status = (await org.DescribeCreateAccountStatusAsync(new DescribeCreateAccountStatusRequest { CreateAccountRequestId = requestId })).CreateAccountStatus!;
        Assert.Equal("SUCCEEDED", status.State);
        var accountId = status.AccountId!;
        Assert.Empty((await org.ListCreateAccountStatusAsync(new ListCreateAccountStatusRequest { States = ["IN_PROGRESS"] })).CreateAccountStatuses);
        Assert.Contains((await org.ListCreateAccountStatusAsync(new ListCreateAccountStatusRequest())).CreateAccountStatuses, s => s.Id == requestId);

        for (var i = 0; i < 3; i++)
        {
            await org.CreateAccountAsync(new CreateAccountRequest { Email = $"extra{i}@example.com", AccountName = $"extra{i}" });
        }

        var accounts = (await org.ListAccountsAsync(new ListAccountsRequest { MaxResults = 2 })).Accounts;
        Assert.Equal(5, accounts.Count);
        Assert.True(host.Counter.CountOf("ListAccounts") >= 3, "MaxResults=2 over 5 accounts must follow NextToken");
        var account = (await org.DescribeAccountAsync(new DescribeAccountRequest { AccountId = accountId })).Account!;
        Assert.Equal("acme@example.com", account.Email);
        Assert.NotNull(account.JoinedTimestamp);

        var ou = (await org.CreateOrganizationalUnitAsync(new CreateOrganizationalUnitRequest { ParentId = root.Id!, Name = "clients" })).OrganizationalUnit!;
        Assert.Contains((await org.ListOrganizationalUnitsForParentAsync(new ListOrganizationalUnitsForParentRequest { ParentId = root.Id! })).OrganizationalUnits, o => o.Id == ou.Id);
        Assert.Equal(root.Id, Assert.Single((await org.ListParentsAsync(new ListParentsRequest { ChildId = accountId })).Parents).Id);
        await org.MoveAccountAsync(new MoveAccountRequest { AccountId = accountId, SourceParentId = root.Id!, DestinationParentId = ou.Id! });
        var parent = Assert.Single((await org.ListParentsAsync(new ListParentsRequest { ChildId = accountId })).Parents);
        Assert.Equal(ou.Id, parent.Id);
        Assert.Equal("ORGANIZATIONAL_UNIT", parent.Type);

        await org.EnablePolicyTypeAsync(new EnablePolicyTypeRequest { RootId = root.Id!, PolicyType = "SERVICE_CONTROL_POLICY" });
        const string Scp = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-central-1"]}}}]}""";
        var policy = (await org.CreatePolicyAsync(new CreatePolicyRequest { Name = "eu-only", Description = "EU only", Type = "SERVICE_CONTROL_POLICY", Content = Scp })).Policy!;
        var policyId = policy.PolicySummary!.Id!;
        Assert.Contains((await org.ListPoliciesAsync(new ListPoliciesRequest { Filter = "SERVICE_CONTROL_POLICY" })).Policies, p => p.Id == policyId);
        Assert.Equal(Scp, (await org.DescribePolicyAsync(new DescribePolicyRequest { PolicyId = policyId })).Policy!.Content);
        var updated = await org.UpdatePolicyAsync(new UpdatePolicyRequest { PolicyId = policyId, Description = "EU member states only" });
        Assert.Equal("EU member states only", updated.Policy!.PolicySummary!.Description);
        await org.AttachPolicyAsync(new AttachPolicyRequest { PolicyId = policyId, TargetId = ou.Id! });
        Assert.Contains((await org.ListPoliciesForTargetAsync(new ListPoliciesForTargetRequest { TargetId = ou.Id!, Filter = "SERVICE_CONTROL_POLICY" })).Policies, p => p.Id == policyId);
        Assert.Contains((await org.ListTargetsForPolicyAsync(new ListTargetsForPolicyRequest { PolicyId = policyId })).Targets, t => t.TargetId == ou.Id);
        await org.DetachPolicyAsync(new DetachPolicyRequest { PolicyId = policyId, TargetId = ou.Id! });
        Assert.DoesNotContain((await org.ListTargetsForPolicyAsync(new ListTargetsForPolicyRequest { PolicyId = policyId })).Targets, t => t.TargetId == ou.Id);

        await org.TagResourceAsync(new TagResourceRequest { ResourceId = accountId, Tags = [new Tag { Key = "env", Value = "prod" }] });
        var tags = (await org.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceId = accountId })).Tags;
        Assert.Contains(tags, t => t is { Key: "env", Value: "prod" });
        Assert.Contains(tags, t => t.Key == "openkbs.com/owner");
        await org.UntagResourceAsync(new UntagResourceRequest { ResourceId = accountId, TagKeys = ["env"] });
        Assert.DoesNotContain((await org.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceId = accountId })).Tags, t => t.Key == "env");

        var extra = accounts.First(a => a.Email == "extra0@example.com").Id!;
        await org.CloseAccountAsync(new CloseAccountRequest { AccountId = extra });
        var closed = (await org.DescribeAccountAsync(new DescribeAccountRequest { AccountId = extra })).Account!;
        Assert.True(closed.Status is "SUSPENDED" or "PENDING_CLOSURE" || closed.State is "SUSPENDED" or "CLOSED" or "PENDING_CLOSURE", $"{closed.Status}/{closed.State}");
        var leaving = accounts.First(a => a.Email == "extra1@example.com").Id!;
        await org.RemoveAccountFromOrganizationAsync(new RemoveAccountFromOrganizationRequest { AccountId = leaving });
        var gone = await Assert.ThrowsAsync<AwsServiceException>(() => org.DescribeAccountAsync(new DescribeAccountRequest { AccountId = leaving }));
        Assert.True(gone.IsNotFound, gone.ErrorCode);

        // One audit record per mutating call, none for reads, all successful, attributed and addressed.
        var records = host.Audit.Records.ToList();
        string[] expected =
        [
            "CreateOrganization", "CreateAccount", "CreateAccount", "CreateAccount", "CreateAccount", "CreateOrganizationalUnit", "MoveAccount",
            "EnablePolicyType", "CreatePolicy", "UpdatePolicy", "AttachPolicy", "DetachPolicy", "TagResource", "UntagResource", "CloseAccount",
            "RemoveAccountFromOrganization",
        ];
        Assert.Equal(expected.Select(e => "organizations:" + e), records.Select(r => r.Action));
        Assert.All(records, r =>
        {
            Assert.Equal(AuditOutcome.Success, r.Outcome);
            Assert.Equal("10.0.0.7", r.SourceIp);
            Assert.Equal("tenants/ClientAccount/acme", r.Actor.Owner);
            Assert.False(string.IsNullOrEmpty(r.RequestId), r.Action);
            Assert.Equal(1, r.Attempts);
        });
        Assert.Equal(requestId, records[1].Resource);
        Assert.Equal(ou.Id, records[5].Resource);
        Assert.Equal(policyId, records[8].Resource);
        Assert.StartsWith("sha256:", records[8].Details["Content"], StringComparison.Ordinal);
        Assert.DoesNotContain(records, r => r.Details.Values.Any(v => v.Contains("aws:RequestedRegion", StringComparison.Ordinal)));
    }
}
