using OpenKbs.Aws.Clients;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Iam.Model;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Aws.Tests.Iam;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Aws.Tests.Resilience;

/// <summary>
/// A scripted, controller-like sequence (observe, then create what is missing) converges under 20% throttling plus 5% HTTP 500
/// (seeded), with no more than twice the HTTP requests of the fault-free run, and ends in the same state.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ConvergenceUnderFaultsTests(MotoServerFixture moto)
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    public async Task Converges_with_at_most_twice_the_fault_free_calls(int seed)
    {
        await moto.ResetAsync();
        int faultFree;
        string cleanState;
        using (var host = new AwsTestHost(moto))
        {
            cleanState = await RunScriptAsync(host.Factory.ForManagement(AwsTestHost.Actor()));
            faultFree = host.Counter.Count;
        }

        await moto.ResetAsync();
        var faults = new SeededFaultHandler(seed, throttleRate: 0.20, errorRate: 0.05);
        using (var host = new AwsTestHost(moto, faults: faults))
        {
            var state = await RunScriptAsync(host.Factory.ForManagement(AwsTestHost.Actor()));
            Assert.Equal(cleanState, state);
            Assert.True(faults.Throttled + faults.Errors > 0, "faults were injected");
            Assert.True(host.Counter.Count <= 2 * faultFree, $"{host.Counter.Count} requests under faults vs {faultFree} without");
            Assert.True(host.Counter.Count > faultFree);
            Assert.Contains(host.Audit.Records, r => r.Attempts > 1);
        }
    }

    private static async Task<string> RunScriptAsync(IManagementClients aws)
    {
        var org = aws.Organizations;
        await Step(async () =>
        {
            try
            {
                await org.DescribeOrganizationAsync(new());
            }
            catch (AwsServiceException e) when (e.IsNotFound)
            {
                await org.CreateOrganizationAsync(new CreateOrganizationRequest { FeatureSet = "ALL" });
            }
        });
        var root = await Step(async () => (await org.ListRootsAsync(new())).Roots[0].Id!);
        await Step(async () =>
        {
            var existing = await org.ListOrganizationalUnitsForParentAsync(new ListOrganizationalUnitsForParentRequest { ParentId = root });
            if (!existing.OrganizationalUnits.Any(o => o.Name == "clients"))
            {
                await org.CreateOrganizationalUnitAsync(new CreateOrganizationalUnitRequest { ParentId = root, Name = "clients" });
            }
        });
        await Step(async () =>
        {
            // CreateAccount is never retried on a 5xx by the pipeline: the step looks the account up before creating again.
            var accounts = await org.ListAccountsAsync(new());
            if (!accounts.Accounts.Any(a => a.Email == "acme@example.com"))
            {
                await org.CreateAccountAsync(new CreateAccountRequest { Email = "acme@example.com", AccountName = "acme" });
            }
        });
        for (var i = 0; i < 6; i++)
        {
            var name = $"fn-{i}";
            await Step(async () =>
            {
                try
                {
                    await aws.Iam.GetRoleAsync(new GetRoleRequest { RoleName = name });
                }
                catch (AwsServiceException e) when (e.IsNotFound)
                {
                    try
                    {
                        await aws.Iam.CreateRoleAsync(new CreateRoleRequest { RoleName = name, AssumeRolePolicyDocument = IamClientTests.Trust });
                    }
                    catch (AwsServiceException conflict) when (conflict.IsConflict)
                    {
                        // Created by an attempt whose answer was lost: adopt it.
                    }
                }

                await aws.Iam.PutRolePolicyAsync(new PutRolePolicyRequest { RoleName = name, PolicyName = "inline", PolicyDocument = IamClientTests.Inline });
                await aws.Iam.TagRoleAsync(new TagRoleRequest { RoleName = name, Tags = [new OpenKbs.Aws.Iam.Model.Tag { Key = "openkbs.com/owner", Value = "tenants/Project/shop" }] });
            });
        }

        return await Step(async () =>
        {
            var accounts = (await org.ListAccountsAsync(new())).Accounts.Select(a => a.Email).Order(StringComparer.Ordinal);
            var roles = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                var policies = await aws.Iam.ListRolePoliciesAsync(new ListRolePoliciesRequest { RoleName = $"fn-{i}" });
                roles.Add($"fn-{i}:{string.Join(',', policies.PolicyNames)}");
            }

            return string.Join(';', accounts) + "|" + string.Join(';', roles);
        });
    }

    /// <summary>What a controller does with a failed step: requeue it (here at once, bounded).</summary>
    private static async Task<T> Step<T>(Func<Task<T>> step)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await step();
            }
            catch (AwsServiceException e) when (e.IsRetryable && attempt < 10)
            {
            }
        }
    }

    private static Task Step(Func<Task> step) => Step(async () =>
    {
        await step();
        return 0;
    });
}
