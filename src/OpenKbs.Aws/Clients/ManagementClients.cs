using OpenKbs.Aws.AccountManagement;
using OpenKbs.Aws.Iam;
using OpenKbs.Aws.Organizations;
using OpenKbs.Aws.Pipeline;

namespace OpenKbs.Aws.Clients;

internal sealed class ManagementClients(AwsRequestPipeline pipeline, AwsCallScope scope) : IManagementClients
{
    public string Region => scope.Region;

    public IOrganizationsClient Organizations { get; } = new OrganizationsClient(pipeline, scope);

    public IAccountClient Account { get; } = new AccountClient(pipeline, scope);

    public IIamClient Iam { get; } = new IamClient(pipeline, scope);
}
