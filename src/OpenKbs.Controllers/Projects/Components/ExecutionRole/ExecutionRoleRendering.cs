using System.Text.Json.Nodes;

namespace OpenKbs.Controllers.Projects.Components.ExecutionRole;

/// <summary>The execution role's documents, as pure functions of the project (golden-tested in <c>Golden/</c>).</summary>
internal static class ExecutionRoleRendering
{
    /// <summary>Only Lambda may assume the role.</summary>
    public static string TrustPolicy() => PolicyDocuments.Render(new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray
        {
            new JsonObject
            {
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["Service"] = "lambda.amazonaws.com" },
                ["Action"] = "sts:AssumeRole",
            },
        },
    });

    /// <summary>
    /// Least privilege, nothing else: write logs of the project's own functions (their log groups only), read the bucket's data
    /// prefix (<see cref="ProjectNames.DataPrefix"/>), decrypt with the project key (sealed settings, SSE-KMS objects), plus the
    /// exact statements other steps contributed (e.g. the database's secret).
    /// </summary>
    public static string Policy(ProjectNames names, string accountId, string region, string keyArn, IEnumerable<string> extraStatements)
    {
        ArgumentNullException.ThrowIfNull(names);
        var logGroups = $"arn:aws:logs:{region}:{accountId}:log-group:/aws/lambda/{names.FunctionPrefix}*";
        var statements = new JsonArray
        {
            new JsonObject
            {
                ["Sid"] = "CreateOwnLogGroups",
                ["Effect"] = "Allow",
                ["Action"] = "logs:CreateLogGroup",
                ["Resource"] = logGroups,
            },
            new JsonObject
            {
                ["Sid"] = "WriteOwnLogs",
                ["Effect"] = "Allow",
                ["Action"] = new JsonArray("logs:CreateLogStream", "logs:PutLogEvents"),
                ["Resource"] = logGroups + ":*",
            },
            new JsonObject
            {
                ["Sid"] = "ReadOwnDataPrefix",
                ["Effect"] = "Allow",
                ["Action"] = "s3:GetObject",
                ["Resource"] = $"{names.BucketArn}/{ProjectNames.DataPrefix}*",
            },
            new JsonObject
            {
                ["Sid"] = "ListOwnDataPrefix",
                ["Effect"] = "Allow",
                ["Action"] = "s3:ListBucket",
                ["Resource"] = names.BucketArn,
                ["Condition"] = new JsonObject { ["StringLike"] = new JsonObject { ["s3:prefix"] = $"{ProjectNames.DataPrefix}*" } },
            },
            new JsonObject
            {
                ["Sid"] = "DecryptWithProjectKey",
                ["Effect"] = "Allow",
                ["Action"] = "kms:Decrypt",
                ["Resource"] = keyArn,
            },
        };
        foreach (var extra in extraStatements)
        {
            statements.Add(JsonNode.Parse(extra));
        }

        return PolicyDocuments.Render(new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements });
    }
}
