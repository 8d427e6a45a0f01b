namespace OpenKbs.Aws.Core;

/// <summary>Where a call goes and how it is signed.</summary>
/// <param name="BaseUri">The scheme, host and port (no path), e.g. <c>https://iam.amazonaws.com</c> or an emulator.</param>
/// <param name="SigningRegion">The SigV4 scope region (us-east-1 for global services).</param>
/// <param name="SigningName">The SigV4 scope service.</param>
/// <param name="IsOverride">True when the endpoint comes from an override (options or AWS_ENDPOINT_URL*).</param>
public sealed record AwsEndpoint(Uri BaseUri, string SigningRegion, string SigningName, bool IsOverride);
