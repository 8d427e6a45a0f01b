namespace OpenKbs.Aws.Resilience;

/// <summary>One client-side token bucket: <paramref name="RequestsPerSecond"/> sustained, <paramref name="Burst"/> at most at once, per (account, service, family).</summary>
/// <param name="Service">The signing name of the service.</param>
/// <param name="Family">The API family inside the service (e.g. <c>control</c>, <c>GetFunction</c>).</param>
/// <param name="RequestsPerSecond">The sustained rate.</param>
/// <param name="Burst">The bucket size.</param>
/// <param name="Source">Where the number comes from (AWS quota page, or why we chose it).</param>
public sealed record AwsRateLimit(string Service, string Family, double RequestsPerSecond, int Burst, string Source);
