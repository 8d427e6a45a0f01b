using OpenKbs.Aws.CloudFront;
using OpenKbs.Aws.CloudWatch;
using OpenKbs.Aws.Iam;
using OpenKbs.Aws.IoT;
using OpenKbs.Aws.Kms;
using OpenKbs.Aws.Lambda;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Aws.Rds;
using OpenKbs.Aws.S3;
using OpenKbs.Aws.Scheduler;
using OpenKbs.Aws.Sts;

namespace OpenKbs.Aws.Clients;

internal sealed class MemberAccountClients(AwsRequestPipeline pipeline, AwsCallScope scope, AwsSdkClientConfig sdkConfig) : IMemberAccountClients
{
    public string AccountId => scope.AccountId!;

    public string Region => scope.Region;

    public IIamClient Iam { get; } = new IamClient(pipeline, scope);

    public ILambdaClient Lambda { get; } = new LambdaClient(pipeline, scope);

    public IRdsClient Rds { get; } = new RdsClient(pipeline, scope);

    public ICloudFrontClient CloudFront { get; } = new CloudFrontClient(pipeline, scope);

    public ISchedulerClient Scheduler { get; } = new SchedulerClient(pipeline, scope);

    public IIotClient IoT { get; } = new IotClient(pipeline, scope);

    public ICloudWatchClient CloudWatch { get; } = new CloudWatchClient(pipeline, scope);

    public IS3Client S3 { get; } = new S3Client(pipeline, scope, sdkConfig);

    public IKmsClient Kms { get; } = new KmsClient(pipeline, scope, sdkConfig);

    public IStsClient Sts { get; } = new StsClient(pipeline, scope, sdkConfig);
}
