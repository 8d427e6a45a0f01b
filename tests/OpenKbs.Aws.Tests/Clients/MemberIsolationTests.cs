using OpenKbs.Aws.Core;
using OpenKbs.Aws.Lambda.Model;
using OpenKbs.Aws.S3;
using OpenKbs.Aws.Sts.Model;
using OpenKbs.Aws.Tests.Lambda;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;

using KmsModel = OpenKbs.Aws.Kms.Model;
using SchedulerModel = OpenKbs.Aws.Scheduler.Model;
using StsModel = OpenKbs.Aws.Sts.Model;

namespace OpenKbs.Aws.Tests.Clients;

/// <summary>Each client set acts inside its own account only (moto attributes assumed-role calls to the assumed account).</summary>
[Collection(MotoCollection.Name)]
public sealed class MemberIsolationTests(MotoServerFixture moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Sessions_prove_their_account_and_see_only_its_resources()
    {
        using var host = new AwsTestHost(moto);
        var a = Members.In(host, account: "111111111111", project: "a");
        var b = Members.In(host, account: "222222222222", project: "b");

        var identityA = await a.Sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        var identityB = await b.Sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal("111111111111", identityA.Account);
        Assert.Equal("222222222222", identityB.Account);
        Assert.StartsWith($"arn:aws:sts::111111111111:assumed-role/{Members.Role}/openkbs-tenants-a", identityA.Arn, StringComparison.Ordinal);
        var management = await host.Factory.ForManagement(AwsTestHost.Actor()).Sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal("123456789012", management.Account);

        var role = await LambdaClientTests.ExecutionRoleAsync(a);
        await a.Lambda.CreateFunctionAsync(new CreateFunctionRequest
        {
            FunctionName = "only-in-a", Role = role, Runtime = "nodejs24.x", Handler = "index.handler", Code = new FunctionCode { ZipFile = LambdaClientTests.Zip("x") },
        });
        await a.Kms.CreateAliasAsync(new KmsModel.CreateAliasRequest
        {
            AliasName = "alias/openkbs/a",
            TargetKeyId = (await a.Kms.CreateKeyAsync(new KmsModel.CreateKeyRequest())).KeyMetadata!.KeyId!,
        });
        await a.Scheduler.CreateScheduleGroupAsync(new SchedulerModel.CreateScheduleGroupRequest { Name = "a-group" });

        Assert.Single((await a.Lambda.ListFunctionsAsync(new ListFunctionsRequest())).Functions);
        Assert.Empty((await b.Lambda.ListFunctionsAsync(new ListFunctionsRequest())).Functions);
        await Assert.ThrowsAsync<AwsServiceException>(() => b.Lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = "only-in-a" }));
        Assert.DoesNotContain((await b.Kms.ListAliasesAsync(new KmsModel.ListAliasesRequest())).Aliases, x => x.AliasName == "alias/openkbs/a");
        var missing = await Assert.ThrowsAsync<AwsServiceException>(() => b.Scheduler.GetScheduleGroupAsync(new SchedulerModel.GetScheduleGroupRequest { Name = "a-group" }));
        Assert.True(missing.IsNotFound);

        Assert.All(host.Audit.Records, r => Assert.Equal("111111111111", r.AccountId));
        Assert.Equal(2, host.Counter.CountOf("AssumeRole")); // one 900-second session per account, reused by every client of the set
    }
}
