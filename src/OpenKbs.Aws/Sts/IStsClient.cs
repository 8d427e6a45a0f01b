using OpenKbs.Aws.Sts.Model;

namespace OpenKbs.Aws.Sts;

/// <summary>STS through the official AWSSDK.SecurityToken client (regional endpoint in the client set's region): who am I.</summary>
public interface IStsClient
{
    /// <summary>The account and principal the client set's credentials act as (proves which account a session is in).</summary>
    Task<GetCallerIdentityResponse> GetCallerIdentityAsync(GetCallerIdentityRequest request, CancellationToken cancellationToken = default);
}
