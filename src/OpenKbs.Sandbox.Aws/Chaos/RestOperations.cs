using System.Text.RegularExpressions;
using System.Web;

namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>Operation names of the REST services (Lambda, CloudFront, Account, Scheduler, S3) from method + path.</summary>
internal static partial class RestOperations
{
    private const string Fn = "[^/]+";

    private static readonly (string Service, string Method, Regex Path, string Operation)[] Routes =
    [
        ("lambda", "POST", Route("/2015-03-31/functions/?"), "CreateFunction"),
        ("lambda", "GET", Route("/2015-03-31/functions/?"), "ListFunctions"),
        ("lambda", "GET", Route($"/2015-03-31/functions/{Fn}"), "GetFunction"),
        ("lambda", "DELETE", Route($"/2015-03-31/functions/{Fn}"), "DeleteFunction"),
        ("lambda", "GET", Route($"/2015-03-31/functions/{Fn}/configuration"), "GetFunctionConfiguration"),
        ("lambda", "PUT", Route($"/2015-03-31/functions/{Fn}/configuration"), "UpdateFunctionConfiguration"),
        ("lambda", "PUT", Route($"/2015-03-31/functions/{Fn}/code"), "UpdateFunctionCode"),
        ("lambda", "POST", Route($"/2015-03-31/functions/{Fn}/versions"), "PublishVersion"),
        ("lambda", "GET", Route($"/2015-03-31/functions/{Fn}/versions"), "ListVersionsByFunction"),
        ("lambda", "POST", Route($"/2015-03-31/functions/{Fn}/policy"), "AddPermission"),
        ("lambda", "GET", Route($"/2015-03-31/functions/{Fn}/policy"), "GetPolicy"),
        ("lambda", "DELETE", Route($"/2015-03-31/functions/{Fn}/policy/{Fn}"), "RemovePermission"),
        ("lambda", "POST", Route($"/2015-03-31/functions/{Fn}/invocations"), "Invoke"),
        ("lambda", "POST", Route($"/2015-03-31/functions/{Fn}/aliases"), "CreateAlias"),
        ("lambda", "GET", Route($"/2015-03-31/functions/{Fn}/aliases"), "ListAliases"),
        ("lambda", "GET", Route($"/2015-03-31/functions/{Fn}/aliases/{Fn}"), "GetAlias"),
        ("lambda", "PUT", Route($"/2015-03-31/functions/{Fn}/aliases/{Fn}"), "UpdateAlias"),
        ("lambda", "DELETE", Route($"/2015-03-31/functions/{Fn}/aliases/{Fn}"), "DeleteAlias"),
        ("lambda", "PUT", Route($"/2017-10-31/functions/{Fn}/concurrency"), "PutFunctionConcurrency"),
        ("lambda", "DELETE", Route($"/2017-10-31/functions/{Fn}/concurrency"), "DeleteFunctionConcurrency"),
        ("lambda", "GET", Route($"/2019-09-30/functions/{Fn}/concurrency"), "GetFunctionConcurrency"),
        ("lambda", "POST", Route($"/2021-10-31/functions/{Fn}/url"), "CreateFunctionUrlConfig"),
        ("lambda", "GET", Route($"/2021-10-31/functions/{Fn}/url"), "GetFunctionUrlConfig"),
        ("lambda", "PUT", Route($"/2021-10-31/functions/{Fn}/url"), "UpdateFunctionUrlConfig"),
        ("lambda", "DELETE", Route($"/2021-10-31/functions/{Fn}/url"), "DeleteFunctionUrlConfig"),
        ("lambda", "POST", Route($"/2018-10-31/layers/{Fn}/versions"), "PublishLayerVersion"),
        ("lambda", "GET", Route($"/2018-10-31/layers/{Fn}/versions"), "ListLayerVersions"),
        ("lambda", "POST", Route($"/2017-03-31/tags/{Fn}"), "TagResource"),
        ("lambda", "GET", Route($"/2017-03-31/tags/{Fn}"), "ListTags"),
        ("lambda", "DELETE", Route($"/2017-03-31/tags/{Fn}"), "UntagResource"),
        ("lambda", "GET", Route("/2016-08-19/account-settings/?"), "GetAccountSettings"),
        ("cloudfront", "POST", Route("/2020-05-31/distribution"), "CreateDistribution"),
        ("cloudfront", "GET", Route("/2020-05-31/distribution"), "ListDistributions"),
        ("cloudfront", "GET", Route($"/2020-05-31/distribution/{Fn}"), "GetDistribution"),
        ("cloudfront", "DELETE", Route($"/2020-05-31/distribution/{Fn}"), "DeleteDistribution"),
        ("cloudfront", "GET", Route($"/2020-05-31/distribution/{Fn}/config"), "GetDistributionConfig"),
        ("cloudfront", "PUT", Route($"/2020-05-31/distribution/{Fn}/config"), "UpdateDistribution"),
        ("cloudfront", "POST", Route($"/2020-05-31/distribution/{Fn}/invalidation"), "CreateInvalidation"),
        ("cloudfront", "GET", Route($"/2020-05-31/distribution/{Fn}/invalidation"), "ListInvalidations"),
        ("cloudfront", "GET", Route($"/2020-05-31/distribution/{Fn}/invalidation/{Fn}"), "GetInvalidation"),
        ("cloudfront", "POST", Route("/2020-05-31/origin-access-control"), "CreateOriginAccessControl"),
        ("cloudfront", "GET", Route("/2020-05-31/origin-access-control"), "ListOriginAccessControls"),
        ("cloudfront", "GET", Route($"/2020-05-31/origin-access-control/{Fn}"), "GetOriginAccessControl"),
        ("cloudfront", "DELETE", Route($"/2020-05-31/origin-access-control/{Fn}"), "DeleteOriginAccessControl"),
        ("cloudfront", "GET", Route($"/2020-05-31/origin-access-control/{Fn}/config"), "GetOriginAccessControlConfig"),
        ("cloudfront", "PUT", Route($"/2020-05-31/origin-access-control/{Fn}/config"), "UpdateOriginAccessControl"),
        ("cloudfront", "GET", Route("/2020-05-31/tagging"), "ListTagsForResource"),
        ("scheduler", "POST", Route($"/schedules/{Fn}"), "CreateSchedule"),
        ("scheduler", "GET", Route($"/schedules/{Fn}"), "GetSchedule"),
        ("scheduler", "PUT", Route($"/schedules/{Fn}"), "UpdateSchedule"),
        ("scheduler", "DELETE", Route($"/schedules/{Fn}"), "DeleteSchedule"),
        ("scheduler", "GET", Route("/schedules/?"), "ListSchedules"),
        ("scheduler", "POST", Route($"/schedule-groups/{Fn}"), "CreateScheduleGroup"),
        ("scheduler", "GET", Route($"/schedule-groups/{Fn}"), "GetScheduleGroup"),
        ("scheduler", "DELETE", Route($"/schedule-groups/{Fn}"), "DeleteScheduleGroup"),
        ("scheduler", "GET", Route("/schedule-groups/?"), "ListScheduleGroups"),
        ("scheduler", "POST", Route($"/tags/{Fn}"), "TagResource"),
        ("scheduler", "GET", Route($"/tags/{Fn}"), "ListTagsForResource"),
        ("scheduler", "DELETE", Route($"/tags/{Fn}"), "UntagResource"),
    ];

    private static readonly (string Query, string Put, string Get, string Delete)[] S3BucketSubresources =
    [
        ("versioning", "PutBucketVersioning", "GetBucketVersioning", "DeleteBucketVersioning"),
        ("encryption", "PutBucketEncryption", "GetBucketEncryption", "DeleteBucketEncryption"),
        ("policy", "PutBucketPolicy", "GetBucketPolicy", "DeleteBucketPolicy"),
        ("publicAccessBlock", "PutPublicAccessBlock", "GetPublicAccessBlock", "DeletePublicAccessBlock"),
        ("ownershipControls", "PutBucketOwnershipControls", "GetBucketOwnershipControls", "DeleteBucketOwnershipControls"),
        ("tagging", "PutBucketTagging", "GetBucketTagging", "DeleteBucketTagging"),
        ("lifecycle", "PutBucketLifecycleConfiguration", "GetBucketLifecycleConfiguration", "DeleteBucketLifecycle"),
        ("cors", "PutBucketCors", "GetBucketCors", "DeleteBucketCors"),
        ("location", "PutBucketLocation", "GetBucketLocation", "DeleteBucketLocation"),
        ("acl", "PutBucketAcl", "GetBucketAcl", "DeleteBucketAcl"),
        ("notification", "PutBucketNotificationConfiguration", "GetBucketNotificationConfiguration", "DeleteBucketNotification"),
    ];

    /// <summary>The service of an unsigned REST request, from its path or host.</summary>
    public static string GuessService(Uri uri, string path)
    {
        if (path.StartsWith("/2015-03-31/functions", StringComparison.Ordinal) || path.StartsWith("/2017-03-31/tags", StringComparison.Ordinal)
            || path.StartsWith("/2016-08-19/", StringComparison.Ordinal) || path.StartsWith("/2017-10-31/", StringComparison.Ordinal)
            || path.StartsWith("/2019-09-30/", StringComparison.Ordinal) || path.StartsWith("/2021-10-31/", StringComparison.Ordinal))
        {
            return "lambda";
        }

        if (path.StartsWith("/2020-05-31/", StringComparison.Ordinal))
        {
            return "cloudfront";
        }

        if (AccountPath().IsMatch(path))
        {
            return "account";
        }

        if (path.StartsWith("/schedules", StringComparison.Ordinal) || path.StartsWith("/schedule-groups", StringComparison.Ordinal))
        {
            return "scheduler";
        }

        var host = uri.Host;
        var first = host.Split('.')[0];
        return host.EndsWith(".amazonaws.com", StringComparison.Ordinal) && first is not ("s3" or "") && !host.Contains(".s3.", StringComparison.Ordinal)
            ? first
            : "s3";
    }

    /// <summary>The operation name; <c>METHOD /segment</c> when the route is unknown.</summary>
    public static string Name(string service, HttpMethod method, Uri uri, string path, HttpRequestMessage request)
    {
        switch (service)
        {
            case "s3":
                return S3(method.Method, uri, path, request);
            case "account":
                var match = AccountPath().Match(path);
                if (match.Success)
                {
                    var op = match.Groups[1].Value;
                    return char.ToUpperInvariant(op[0]) + op[1..];
                }

                break;
            case "cloudfront" when path.StartsWith("/2020-05-31/distribution", StringComparison.Ordinal) && method == HttpMethod.Post
                                   && uri.Query.Contains("WithTags", StringComparison.Ordinal):
                return "CreateDistributionWithTags";
            case "cloudfront" when path.StartsWith("/2020-05-31/tagging", StringComparison.Ordinal) && method == HttpMethod.Post:
                return HttpUtility.ParseQueryString(uri.Query)["Operation"] == "Untag" ? "UntagResource" : "TagResource";
        }

        foreach (var (routeService, routeMethod, routePath, operation) in Routes)
        {
            if (routeService == service && routeMethod == method.Method && routePath.IsMatch(path))
            {
                return operation;
            }
        }

        var segment = path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
        return $"{method.Method} /{segment}";
    }

    /// <summary>The function name in a Lambda path (URL-decoded; may be a name, a partial or a full ARN).</summary>
    public static string? LambdaFunctionSegment(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 3 && segments[1] is "functions" or "tags" ? Uri.UnescapeDataString(segments[2]) : null;
    }

    /// <summary>The id segment after <c>/2020-05-31/distribution/</c>.</summary>
    public static string? CloudFrontDistributionId(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 3 && segments[1] == "distribution" ? segments[2] : null;
    }

    private static string S3(string method, Uri uri, string path, HttpRequestMessage request)
    {
        var query = HttpUtility.ParseQueryString(uri.Query);
        var hostBucket = uri.Host.Contains(".s3.", StringComparison.Ordinal) || uri.Host.EndsWith(".s3.amazonaws.com", StringComparison.Ordinal);
        var segments = path.Split('/', 2 + (hostBucket ? 0 : 1), StringSplitOptions.RemoveEmptyEntries);
        var hasBucket = hostBucket || segments.Length >= 1;
        var hasKey = hostBucket ? path.Trim('/').Length > 0 : segments.Length >= 2 && segments[1].Length > 0;
        if (!hasBucket)
        {
            return method == "GET" ? "ListBuckets" : $"{method} /";
        }

        if (hasKey)
        {
            return method switch
            {
                "PUT" when query["partNumber"] is not null => "UploadPart",
                "PUT" when AwsRequestClassifier.Header(request, "x-amz-copy-source") is not null => "CopyObject",
                "PUT" when query.AllKeys.Contains("tagging") => "PutObjectTagging",
                "PUT" => "PutObject",
                "GET" when query.AllKeys.Contains("tagging") => "GetObjectTagging",
                "GET" when query["uploadId"] is not null => "ListParts",
                "GET" => "GetObject",
                "HEAD" => "HeadObject",
                "DELETE" when query["uploadId"] is not null => "AbortMultipartUpload",
                "DELETE" => "DeleteObject",
                "POST" when query.AllKeys.Contains("uploads") || query.GetValues(null)?.Contains("uploads") == true => "CreateMultipartUpload",
                "POST" when query["uploadId"] is not null => "CompleteMultipartUpload",
                _ => $"{method} /object",
            };
        }

        var flags = query.GetValues(null) ?? [];
        foreach (var (name, put, get, delete) in S3BucketSubresources)
        {
            if (flags.Contains(name) || query.AllKeys.Contains(name))
            {
                return method switch { "PUT" => put, "GET" => get, "DELETE" => delete, _ => $"{method} /bucket?{name}" };
            }
        }

        return method switch
        {
            "PUT" => "CreateBucket",
            "HEAD" => "HeadBucket",
            "DELETE" => "DeleteBucket",
            "GET" when flags.Contains("uploads") => "ListMultipartUploads",
            "GET" when flags.Contains("versions") => "ListObjectVersions",
            "GET" when query["list-type"] == "2" => "ListObjectsV2",
            "GET" => "ListObjects",
            "POST" when flags.Contains("delete") => "DeleteObjects",
            _ => $"{method} /bucket",
        };
    }

    private static Regex Route(string pattern) => new("^" + pattern + "$", RegexOptions.CultureInvariant | RegexOptions.Compiled);

    [GeneratedRegex("^/(getPrimaryEmail|startPrimaryEmailUpdate|acceptPrimaryEmailUpdate|putAlternateContact|getAlternateContact|deleteAlternateContact|getContactInformation|putContactInformation|listRegions|getRegionOptStatus|enableRegion|disableRegion|getAccountInformation|putAccountName)$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountPath();
}
