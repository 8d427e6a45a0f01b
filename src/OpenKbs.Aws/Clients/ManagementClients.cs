using OpenKbs.Aws.AccountManagement;
using OpenKbs.Aws.Iam;
using OpenKbs.Aws.Organizations;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Aws.S3;
using OpenKbs.Aws.Sts;

namespace OpenKbs.Aws.Clients;

internal sealed class ManagementClients(AwsRequestPipeline pipeline, AwsCallScope scope, AwsSdkClientConfig sdkConfig) : IManagementClients
{
    public string Region => scope.Region;

    public IOrganizationsClient Organizations { get; } = new OrganizationsClient(pipeline, scope);

    public IAccountClient Account { get; } = new AccountClient(pipeline, scope);

    public IIamClient Iam { get; } = new IamClient(pipeline, scope);

    public IS3Client S3 { get; } = new S3Client(pipeline, scope, sdkConfig);

    public IStsClient Sts { get; } = new StsClient(pipeline, scope, sdkConfig);
}
