using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;

namespace OpenKbs.Aws.Tests.Support;

/// <summary>Member-account client sets for tests (moto accepts AssumeRole into any account id; calls are attributed to it).</summary>
internal static class Members
{
    /// <summary>moto's default account: what the JS SDK and the aws CLI see with dummy credentials, so wire checks share state.</summary>
    public const string DefaultAccount = "123456789012";

    public const string Role = "OrganizationAccountAccessRole";

    public const string Region = "eu-central-1";

    public static IMemberAccountClients In(AwsTestHost host, string account = DefaultAccount, string region = Region, string project = "shop") =>
        host.Factory.ForAccount(account, Role, region, Project(project));

    public static AwsActor Project(string name) =>
        new() { Controller = "Project", Namespace = "tenants", Kind = "Project", Name = name, Uid = "uid-" + name };
}
