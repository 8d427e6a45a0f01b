using System.Diagnostics;
using System.Globalization;
using OpenKbs.Sandbox.Aws.Moto;

namespace OpenKbs.Testing.Moto;

/// <summary>
/// Runs the aws CLI (an independent, official AWS client) against an endpoint with the dummy
/// credentials, no config files, no retries unless asked, and JSON output.
/// </summary>
public static class AwsCli
{
    /// <summary>The environment that points AWS tools at <paramref name="endpoint"/> with dummy credentials.</summary>
    public static IReadOnlyDictionary<string, string> Environment(Uri endpoint, string region = MotoDefaults.Region) => new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = MotoDefaults.AccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = MotoDefaults.SecretAccessKey,
        ["AWS_REGION"] = region,
        ["AWS_DEFAULT_REGION"] = region,
        ["AWS_ENDPOINT_URL"] = endpoint.ToString().TrimEnd('/'),
        ["AWS_CONFIG_FILE"] = "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_PAGER"] = string.Empty,
    };

    /// <summary>
    /// Runs <c>aws ARGS --endpoint-url ENDPOINT --output json</c>. <paramref name="maxAttempts"/> 1 means
    /// no retries, so a single injected fault is visible.
    /// </summary>
    public static Task<AwsCliResult> RunAsync(Uri endpoint, IEnumerable<string> args, int maxAttempts = 1, CancellationToken cancellationToken = default) =>
        RunAsync(endpoint, args, environment: null, maxAttempts, cancellationToken);

    /// <summary>
    /// As <see cref="RunAsync(Uri, IEnumerable{string}, int, CancellationToken)"/>, with <paramref name="environment"/> on top of
    /// the dummy credentials (e.g. an AssumeRole session's <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_SESSION_TOKEN</c>).
    /// </summary>
    public static async Task<AwsCliResult> RunAsync(
        Uri endpoint, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, int maxAttempts = 1, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo("aws")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--endpoint-url");
        start.ArgumentList.Add(endpoint.ToString().TrimEnd('/'));
        start.ArgumentList.Add("--output");
        start.ArgumentList.Add("json");
        foreach (var (key, value) in Environment(endpoint))
        {
            start.Environment[key] = value;
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        start.Environment["AWS_MAX_ATTEMPTS"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["AWS_RETRY_MODE"] = "standard";
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("The aws CLI is not on PATH (pip install awscli).", e);
        }

        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new AwsCliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Convenience overload.</summary>
    public static Task<AwsCliResult> RunAsync(Uri endpoint, params string[] args) => RunAsync(endpoint, (IEnumerable<string>)args);

    /// <summary>
    /// <c>aws cloudwatch put-metric-data</c> of one point in eu-central-1 (<paramref name="dimensions"/> as the CLI takes them,
    /// e.g. <c>FunctionName=shop-api</c>); throws with the CLI's error when it fails.
    /// </summary>
    public static async Task PutMetricDataAsync(Uri endpoint, string @namespace, string metric, string dimensions, DateTimeOffset at, double value)
    {
        var result = await RunAsync(
            endpoint,
            "cloudwatch", "put-metric-data", "--region", "eu-central-1", "--namespace", @namespace, "--metric-name", metric,
            "--dimensions", dimensions, "--timestamp", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            "--value", value.ToString(CultureInfo.InvariantCulture));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"aws cloudwatch put-metric-data failed: {result.StandardError}");
        }
    }
}
