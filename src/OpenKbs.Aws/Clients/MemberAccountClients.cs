using OpenKbs.Aws.Iam;
using OpenKbs.Aws.Pipeline;

namespace OpenKbs.Aws.Clients;

internal sealed class MemberAccountClients(AwsRequestPipeline pipeline, AwsCallScope scope) : IMemberAccountClients
{
    public string AccountId => scope.AccountId!;

    public string Region => scope.Region;

    public IIamClient Iam { get; } = new IamClient(pipeline, scope);
}
