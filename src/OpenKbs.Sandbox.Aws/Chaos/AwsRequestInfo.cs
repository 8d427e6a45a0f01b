namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>What the chaos layer knows about one AWS request.</summary>
/// <param name="Service">Signing name (<c>organizations</c>, <c>lambda</c>, ...), or <c>unknown</c>.</param>
/// <param name="Operation">Operation name (<c>CreateAccount</c>), or <c>METHOD /first-segment</c> when unknown.</param>
/// <param name="Protocol">Wire protocol, which decides the error format.</param>
/// <param name="Region">Signing region from the credential scope (empty when unsigned).</param>
/// <param name="AccessKeyId">Access key from the credential scope, if signed.</param>
/// <param name="JsonVersion">"1.0" or "1.1" for awsJson requests.</param>
internal sealed record AwsRequestInfo(string Service, string Operation, AwsProtocol Protocol, string Region, string? AccessKeyId, string JsonVersion = "1.1")
{
    /// <summary>"service:Operation", the key used in statistics.</summary>
    public string Key => Service + ":" + Operation;
}
