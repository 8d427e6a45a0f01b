namespace OpenKbs.Api.V1Alpha1;

/// <summary>The regular expressions the v1alpha1 schemas share (ECMA-262 / RE2 common subset).</summary>
public static class Patterns
{
    /// <summary>A Kubernetes object name (DNS subdomain).</summary>
    public const string ObjectName = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>A SHA-256 digest: 64 lowercase hex characters.</summary>
    public const string Sha256 = "^[a-f0-9]{64}$";

    /// <summary>A short lowercase name (functions, schedules, API keys): starts with a letter, letters, digits and '-', at most 32 characters.</summary>
    public const string ShortName = "^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$";

    /// <summary>An AWS account id: 12 digits.</summary>
    public const string AccountId = "^[0-9]{12}$";

    /// <summary>A DNS name, lowercase, optionally a wildcard (<c>*.example.com</c>): a CloudFront alias.</summary>
    public const string DomainName = @"^(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]([-a-z0-9]{0,61}[a-z0-9])?$";

    /// <summary>An ACM certificate ARN in us-east-1 (the only region CloudFront takes certificates from).</summary>
    public const string CloudFrontCertificateArn = "^arn:aws:acm:us-east-1:[0-9]{12}:certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

    /// <summary>An email address AWS Organizations accepts (CEL regex, used in <c>self.matches(...)</c>).</summary>
    public const string Email = "^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+([.][A-Za-z0-9-]+)+$";
}
