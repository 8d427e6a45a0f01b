using OpenKbs.Aws.CloudFront;
using OpenKbs.Aws.CloudWatch;
using OpenKbs.Aws.Iam;
using OpenKbs.Aws.IoT;
using OpenKbs.Aws.Kms;
using OpenKbs.Aws.Lambda;
using OpenKbs.Aws.Rds;
using OpenKbs.Aws.S3;
using OpenKbs.Aws.Scheduler;
using OpenKbs.Aws.Sts;

namespace OpenKbs.Aws.Clients;

/// <summary>
/// Clients inside one client account and one EU region, signed with the cached 900-second session (docs/aws.md, services table).
/// Regional services (Lambda, RDS, Scheduler, IoT, CloudWatch, S3, KMS, STS) call the pinned region; IAM and CloudFront are global
/// (signed us-east-1) and their regional references (S3 origins, KMS keys, Lambda ARNs) are still checked by the EU guard.
/// </summary>
public interface IMemberAccountClients
{
    string AccountId { get; }

    /// <summary>The pinned region (allowed EU region).</summary>
    string Region { get; }

    IIamClient Iam { get; }

    ILambdaClient Lambda { get; }

    IRdsClient Rds { get; }

    ICloudFrontClient CloudFront { get; }

    ISchedulerClient Scheduler { get; }

    /// <summary>IoT Core: the MQTT data endpoint of the account (DescribeEndpoint only).</summary>
    IIotClient IoT { get; }

    ICloudWatchClient CloudWatch { get; }

    IS3Client S3 { get; }

    IKmsClient Kms { get; }

    /// <summary>GetCallerIdentity: proves which account the session acts in.</summary>
    IStsClient Sts { get; }
}
