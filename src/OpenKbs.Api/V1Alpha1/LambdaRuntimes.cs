namespace OpenKbs.Api.V1Alpha1;

/// <summary>The Lambda runtimes a function may use.</summary>
public static class LambdaRuntimes
{
    /// <summary>Node.js 24, the default.</summary>
    public const string NodeJs24 = "nodejs24.x";

    /// <summary>Node.js 22.</summary>
    public const string NodeJs22 = "nodejs22.x";
}
