using System.CommandLine;
using OpenKbs.Aws.Permissions;

namespace OpenKbs.Operator.Commands;

/// <summary>
/// `openkbs iam --output DIR`: writes the IAM policies the operator needs (management account, member access role and its trust
/// policy), generated from the operations the AWS layer calls. Without options the documents carry placeholders (docs/iam).
/// </summary>
internal static class IamCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o") { Description = "Directory to write the documents into (created if missing).", DefaultValueFactory = _ => "docs/iam" };
        var artifactBucket = new Option<string?>("--artifact-bucket") { Description = "The platform bucket artifacts are read from (default: the placeholder <artifact-bucket>)." };
        var anchorBucket = new Option<string?>("--anchor-bucket") { Description = "The Object Lock bucket the audit chains' heads are anchored to (default: the placeholder <audit-anchor-bucket>)." };
        var memberRole = new Option<string?>("--member-role") { Description = "The role assumed in member accounts (default OrganizationAccountAccessRole)." };
        var managementAccount = new Option<string?>("--management-account") { Description = "The management account id (trust policy principal)." };
        var operatorRole = new Option<string?>("--operator-role") { Description = "The operator's role name in the management account (default openkbs-operator)." };
        var regions = new Option<string[]>("--region") { Description = "An allowed region (repeat); default: every EU member-state region.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("iam", "Write the IAM policies the operator needs, generated from the operations the AWS layer calls.")
        {
            output, artifactBucket, anchorBucket, memberRole, managementAccount, operatorRole, regions,
        };
        command.SetAction(parseResult =>
        {
            var defaults = new IamPolicyOptions();
            var chosen = parseResult.GetValue(regions) ?? [];
            var options = new IamPolicyOptions
            {
                ArtifactBucket = parseResult.GetValue(artifactBucket) ?? defaults.ArtifactBucket,
                AnchorBucket = parseResult.GetValue(anchorBucket) ?? defaults.AnchorBucket,
                MemberRoleName = parseResult.GetValue(memberRole) ?? defaults.MemberRoleName,
                ManagementAccountId = parseResult.GetValue(managementAccount) ?? defaults.ManagementAccountId,
                OperatorRoleName = parseResult.GetValue(operatorRole) ?? defaults.OperatorRoleName,
                Regions = chosen.Length == 0 ? defaults.Regions : chosen,
            };
            var outside = options.Regions.Where(r => !Aws.Regions.EuRegions.IsMemberStateRegion(r)).ToList();
            if (outside.Count > 0)
            {
                Console.Error.WriteLine($"region(s) {string.Join(", ", outside)} outside the EU member-state regions; nothing written");
                return 2;
            }

            var directory = parseResult.GetValue(output)!;
            var changed = IamPolicyFiles.Write(directory, options);
            foreach (var path in changed)
            {
                Console.Out.WriteLine($"wrote {path}");
            }

            Console.Out.WriteLine($"{directory}: 3 IAM documents, {changed.Count} file(s) changed");
            return 0;
        });
        return command;
    }
}
