#!/usr/bin/env python3
"""Writes the request/response records of the hand-written AWS clients from a compact spec (one type per file).

The records mirror the official SDK's model names (Amazon.<Service>.Model) so an adapter over the official package can replace
the hand-written client later. Run: make models (or python3 hack/gen-aws-models.py [--output ROOT], ROOT defaulting to the
repository). It writes Model/<Type>.g.cs and removes the *.g.cs of types no longer in the spec; edit the spec, not the files.
tests/OpenKbs.Aws.Tests fails when the checked-in files differ from what this writes."""
import argparse, os, re, sys

SPECS = {
"src/OpenKbs.Aws/Organizations/Model": ("OpenKbs.Aws.Organizations.Model", """
Tag | A tag on an Organizations resource. | string Key!; string Value!
PolicyTypeSummary | A policy type and whether it is enabled on a root. | string? Type; string? Status
Organization | The organization (DescribeOrganization). | string? Id; string? Arn; string? FeatureSet; string? MasterAccountArn; string? MasterAccountId; string? MasterAccountEmail; IReadOnlyList<PolicyTypeSummary>? AvailablePolicyTypes
DescribeOrganizationRequest | No input. |
DescribeOrganizationResponse | | Organization? Organization
CreateOrganizationRequest | FeatureSet ALL (default) or CONSOLIDATED_BILLING. | string? FeatureSet
CreateOrganizationResponse | | Organization? Organization
Root | The root of the organization. | string? Id; string? Arn; string? Name; IReadOnlyList<PolicyTypeSummary>? PolicyTypes
ListRootsRequest | Paginated inside the client. | int? MaxResults; string? NextToken
ListRootsResponse | All pages. | IReadOnlyList<Root> Roots=[]; string? NextToken
Account | A member account. Status is retired by AWS on 2026-09-09: use State. | string? Id; string? Arn; string? Email; string? Name; string? Status; string? State; string? JoinedMethod; DateTimeOffset? JoinedTimestamp
ListAccountsRequest | Paginated inside the client. | int? MaxResults; string? NextToken
ListAccountsResponse | All pages. | IReadOnlyList<Account> Accounts=[]; string? NextToken
DescribeAccountRequest | | string AccountId!
DescribeAccountResponse | | Account? Account
CreateAccountRequest | Asynchronous and not idempotent: look up by email first, persist CreateAccountStatus.Id at once. | string Email!; string AccountName!; string? RoleName; string? IamUserAccessToBilling; IReadOnlyList<Tag>? Tags
CreateAccountStatus | The state of a create-account request (State IN_PROGRESS, SUCCEEDED or FAILED with FailureReason). | string? Id; string? AccountName; string? State; DateTimeOffset? RequestedTimestamp; DateTimeOffset? CompletedTimestamp; string? AccountId; string? GovCloudAccountId; string? FailureReason
CreateAccountResponse | | CreateAccountStatus? CreateAccountStatus
DescribeCreateAccountStatusRequest | | string CreateAccountRequestId!
DescribeCreateAccountStatusResponse | | CreateAccountStatus? CreateAccountStatus
ListCreateAccountStatusRequest | States filter, e.g. [IN_PROGRESS]. Paginated inside the client. | IReadOnlyList<string>? States; int? MaxResults; string? NextToken
ListCreateAccountStatusResponse | All pages. | IReadOnlyList<CreateAccountStatus> CreateAccountStatuses=[]; string? NextToken
OrganizationalUnit | An OU. | string? Id; string? Arn; string? Name; string? Path
ListOrganizationalUnitsForParentRequest | Paginated inside the client. | string ParentId!; int? MaxResults; string? NextToken
ListOrganizationalUnitsForParentResponse | All pages. | IReadOnlyList<OrganizationalUnit> OrganizationalUnits=[]; string? NextToken
CreateOrganizationalUnitRequest | | string ParentId!; string Name!; IReadOnlyList<Tag>? Tags
CreateOrganizationalUnitResponse | | OrganizationalUnit? OrganizationalUnit
Parent | The parent of an account or OU (Type ROOT or ORGANIZATIONAL_UNIT). | string? Id; string? Type
ListParentsRequest | Paginated inside the client. | string ChildId!; int? MaxResults; string? NextToken
ListParentsResponse | All pages (a child has exactly one parent). | IReadOnlyList<Parent> Parents=[]; string? NextToken
MoveAccountRequest | | string AccountId!; string SourceParentId!; string DestinationParentId!
MoveAccountResponse | No output. |
PolicySummary | A policy without its content. | string? Id; string? Arn; string? Name; string? Description; string? Type; bool? AwsManaged
Policy | A policy and its content (JSON). | PolicySummary? PolicySummary; string? Content
CreatePolicyRequest | Description is required by AWS but may be empty. Type e.g. SERVICE_CONTROL_POLICY. | string Content!; string Description!; string Name!; string Type!; IReadOnlyList<Tag>? Tags
CreatePolicyResponse | | Policy? Policy
ListPoliciesRequest | Filter is the policy type (required). Paginated inside the client. | string Filter!; int? MaxResults; string? NextToken
ListPoliciesResponse | All pages. | IReadOnlyList<PolicySummary> Policies=[]; string? NextToken
DescribePolicyRequest | | string PolicyId!
DescribePolicyResponse | | Policy? Policy
UpdatePolicyRequest | Null members stay unchanged. | string PolicyId!; string? Name; string? Description; string? Content
UpdatePolicyResponse | | Policy? Policy
AttachPolicyRequest | TargetId: root, OU or account id. | string PolicyId!; string TargetId!
AttachPolicyResponse | No output. |
DetachPolicyRequest | | string PolicyId!; string TargetId!
DetachPolicyResponse | No output. |
ListPoliciesForTargetRequest | Filter is the policy type (required). Paginated inside the client. | string TargetId!; string Filter!; int? MaxResults; string? NextToken
ListPoliciesForTargetResponse | All pages. | IReadOnlyList<PolicySummary> Policies=[]; string? NextToken
PolicyTargetSummary | A root, OU or account a policy is attached to. | string? TargetId; string? Arn; string? Name; string? Type
ListTargetsForPolicyRequest | Paginated inside the client. | string PolicyId!; int? MaxResults; string? NextToken
ListTargetsForPolicyResponse | All pages. | IReadOnlyList<PolicyTargetSummary> Targets=[]; string? NextToken
EnablePolicyTypeRequest | | string RootId!; string PolicyType!
EnablePolicyTypeResponse | | Root? Root
TagResourceRequest | ResourceId: account, OU, root or policy id. | string ResourceId!; IReadOnlyList<Tag> Tags!
TagResourceResponse | No output. |
UntagResourceRequest | | string ResourceId!; IReadOnlyList<string> TagKeys!
UntagResourceResponse | No output. |
ListTagsForResourceRequest | Paginated inside the client. | string ResourceId!; string? NextToken
ListTagsForResourceResponse | All pages. | IReadOnlyList<Tag> Tags=[]; string? NextToken
CloseAccountRequest | Asynchronous (PENDING_CLOSURE, then SUSPENDED); quota-bound; reversible for 90 days through Support only. | string AccountId!
CloseAccountResponse | No output. |
RemoveAccountFromOrganizationRequest | | string AccountId!
RemoveAccountFromOrganizationResponse | No output. |
"""),
"src/OpenKbs.Aws/AccountManagement/Model": ("OpenKbs.Aws.AccountManagement.Model", """
GetPrimaryEmailRequest | | string AccountId!
GetPrimaryEmailResponse | | string? PrimaryEmail
StartPrimaryEmailUpdateRequest | Sends a one-time code to the new address. | string AccountId!; string PrimaryEmail!
StartPrimaryEmailUpdateResponse | Status PENDING. | string? Status
AcceptPrimaryEmailUpdateRequest | Otp is a secret: never logged or audited. | string AccountId!; string PrimaryEmail!; string Otp!
AcceptPrimaryEmailUpdateResponse | Status PENDING, ACCEPTED. | string? Status
ContactInformation | The primary contact of an account. | string? FullName; string? CompanyName; string? AddressLine1; string? AddressLine2; string? AddressLine3; string? City; string? DistrictOrCounty; string? StateOrRegion; string? PostalCode; string? CountryCode; string? PhoneNumber; string? WebsiteUrl
GetContactInformationRequest | AccountId null: the caller's own account. | string? AccountId
GetContactInformationResponse | | ContactInformation? ContactInformation
"""),
"src/OpenKbs.Aws/Iam/Model": ("OpenKbs.Aws.Iam.Model", """
Tag | A tag on an IAM role. | string Key!; string Value!
Role | An IAM role. AssumeRolePolicyDocument is URL-decoded by the client. | string? Path; string? RoleName; string? RoleId; string? Arn; DateTimeOffset? CreateDate; string? AssumeRolePolicyDocument; string? Description; int? MaxSessionDuration; IReadOnlyList<Tag>? Tags
CreateRoleRequest | | string RoleName!; string AssumeRolePolicyDocument!; string? Path; string? Description; int? MaxSessionDuration; string? PermissionsBoundary; IReadOnlyList<Tag>? Tags
CreateRoleResponse | | Role? Role
GetRoleRequest | | string RoleName!
GetRoleResponse | | Role? Role
UpdateAssumeRolePolicyRequest | | string RoleName!; string PolicyDocument!
UpdateAssumeRolePolicyResponse | No output. |
DeleteRoleRequest | Does not cascade: delete inline policies and detach managed ones first (DeleteConflict otherwise). | string RoleName!
DeleteRoleResponse | No output. |
PutRolePolicyRequest | An upsert of an inline policy. | string RoleName!; string PolicyName!; string PolicyDocument!
PutRolePolicyResponse | No output. |
GetRolePolicyRequest | | string RoleName!; string PolicyName!
GetRolePolicyResponse | PolicyDocument is URL-decoded by the client. | string? RoleName; string? PolicyName; string? PolicyDocument
DeleteRolePolicyRequest | | string RoleName!; string PolicyName!
DeleteRolePolicyResponse | No output. |
ListRolePoliciesRequest | Paginated inside the client (Marker / IsTruncated). | string RoleName!; string? Marker; int? MaxItems
ListRolePoliciesResponse | All pages. | IReadOnlyList<string> PolicyNames=[]; bool? IsTruncated; string? Marker
TagRoleRequest | | string RoleName!; IReadOnlyList<Tag> Tags!
TagRoleResponse | No output. |
UntagRoleRequest | | string RoleName!; IReadOnlyList<string> TagKeys!
UntagRoleResponse | No output. |
ListRoleTagsRequest | Paginated inside the client. | string RoleName!; string? Marker; int? MaxItems
ListRoleTagsResponse | All pages. | IReadOnlyList<Tag> Tags=[]; bool? IsTruncated; string? Marker
AttachRolePolicyRequest | | string RoleName!; string PolicyArn!
AttachRolePolicyResponse | No output. |
DetachRolePolicyRequest | | string RoleName!; string PolicyArn!
DetachRolePolicyResponse | No output. |
AttachedPolicy | A managed policy attached to a role. | string? PolicyName; string? PolicyArn
ListAttachedRolePoliciesRequest | Paginated inside the client. | string RoleName!; string? PathPrefix; string? Marker; int? MaxItems
ListAttachedRolePoliciesResponse | All pages. | IReadOnlyList<AttachedPolicy> AttachedPolicies=[]; bool? IsTruncated; string? Marker
ListRolesRequest | Paginated inside the client. | string? PathPrefix; string? Marker; int? MaxItems
ListRolesResponse | All pages; each role's AssumeRolePolicyDocument URL-decoded by the client (AWS returns no tags here). | IReadOnlyList<Role> Roles=[]; bool? IsTruncated; string? Marker
ManagedPolicy | A managed policy without its document (GetPolicy). | string? PolicyName; string? PolicyId; string? Arn; string? Path; string? DefaultVersionId; int? AttachmentCount; bool? IsAttachable
GetPolicyRequest | | string PolicyArn!
GetPolicyResponse | | ManagedPolicy? Policy
PolicyVersion | One version of a managed policy. Document is URL-decoded by the client. | string? Document; string? VersionId; bool? IsDefaultVersion
GetPolicyVersionRequest | | string PolicyArn!; string VersionId!
GetPolicyVersionResponse | | PolicyVersion? PolicyVersion
"""),
}

HEADER = ("// <auto-generated/>\n"
          "// Generated by hack/gen-aws-models.py (make models) from its spec; the shape mirrors the official AWS SDK model of the same name.\n"
          "#nullable enable\n")

ATTRIBUTE_NAMESPACES = {"JsonIgnore": "System.Text.Json.Serialization.", "JsonPropertyName": "System.Text.Json.Serialization.",
                        "AwsList": "OpenKbs.Aws.Protocols.", "AwsName": "OpenKbs.Aws.Protocols.", "AwsIgnore": "OpenKbs.Aws.Protocols."}

def field(f):
    """A field: [@Attribute ...] Type Name[!][=default]; e.g. '@JsonIgnore string FunctionName!' or '@AwsList("Tag") IReadOnlyList<Tag>? Tags'."""
    f = f.strip()
    attributes = ""
    while f.startswith('@'):
        attribute, f = f[1:].split(None, 1)
        short = re.match(r'\w+', attribute).group(0)
        attributes += f"    [{ATTRIBUTE_NAMESPACES.get(short, '')}{attribute}]\n"
        f = f.strip()
    m = re.match(r'^(\S+)\s+(\w+)(!)?(=.*)?$', f)
    typ, name, req, init = m.group(1), m.group(2), m.group(3), m.group(4)
    if req:
        return attributes + f"    public required {typ} {name} {{ get; init; }}\n"
    if init:
        return attributes + f"    public {typ} {name} {{ get; init; }} {init.replace('=', '= ', 1)};\n"
    return attributes + f"    public {typ} {name} {{ get; init; }}\n"

def load_spec_files(directory):
    """More specs, one file per service (hack/aws-models/*.spec): first line 'folder | namespace'; '#' comments;
    '$NAME = fields' defines a macro that later fields may use as '$NAME'."""
    if not os.path.isdir(directory):
        return
    for file in sorted(os.listdir(directory)):
        if not file.endswith('.spec'):
            continue
        lines = [l for l in open(os.path.join(directory, file)).read().splitlines() if l.strip() and not l.lstrip().startswith('#')]
        folder, ns = [p.strip() for p in lines[0].split('|')]
        macros, body = {}, []
        for line in lines[1:]:
            m = re.match(r'^\$(\w+)\s*=\s*(.*)$', line)
            if m:
                macros[m.group(1)] = m.group(2)
                continue
            for key in sorted(macros, key=len, reverse=True):
                line = line.replace('$' + key, macros[key])
            body.append(line)
        SPECS[folder] = (ns, "\n".join(body))

load_spec_files(os.path.join(os.path.dirname(os.path.abspath(__file__)), "aws-models"))

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--output", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    help="root to write src/OpenKbs.Aws/<Service>/Model/ under (default: the repository)")
root = parser.parse_args().output

for folder, (ns, spec) in SPECS.items():
    target = os.path.join(root, folder)
    os.makedirs(target, exist_ok=True)
    written = set()
    for line in spec.strip().splitlines():
        parts = [p.strip() for p in line.split('|')]
        name, doc, fields = parts[0], parts[1], parts[2] if len(parts) > 2 else ''
        doc = doc or (f"Input of {name[:-7]}." if name.endswith('Request') else f"Output of {name[:-8]}." if name.endswith('Response') else name)
        body = ''.join(field(f) for f in fields.split(';') if f.strip())
        text = HEADER + f"namespace {ns};\n\n/// <summary>{doc}</summary>\npublic sealed record {name}\n{{\n{body}}}\n"
        written.add(name + '.g.cs')
        with open(os.path.join(target, name + '.g.cs'), 'w') as fh:
            fh.write(text)
    for stale in sorted(set(f for f in os.listdir(target) if f.endswith('.g.cs')) - written):
        os.remove(os.path.join(target, stale))
print(f"wrote the AWS models under {root}")
