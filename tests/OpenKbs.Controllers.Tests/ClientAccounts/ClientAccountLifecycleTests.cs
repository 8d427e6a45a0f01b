using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Organizations;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Controllers.ClientAccounts;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Runtime;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Controllers.Tests.ClientAccounts;

/// <summary>The recipe against moto (real AWS layer, real wire calls), pass by pass.</summary>
[Collection(MotoCollection.Name)]
public sealed class ClientAccountLifecycleTests(MotoServerFixture moto) : IAsyncLifetime, IDisposable
{
    private readonly InMemoryStatusStore _store = new();
    private readonly ListCache _cache = new();
    private AccountProcess _process = null!;
    private string _rootId = string.Empty;

    private IOrganizationsClient Org => _process.Aws.Organizations;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _process = new AccountProcess(moto.Endpoint, _store, _cache);
        _rootId = await AwsHost.CreateOrganizationAsync(Org);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _process?.Dispose();

    [Fact]
    public async Task A_new_ClientAccount_becomes_Ready_in_its_OU_with_the_guardrail_and_tags()
    {
        var acme = _process.Apply(Fixtures.Account("acme", s => s with
        {
            DisplayName = "ACME GmbH",
            OrganizationalUnit = "Clients/Manufacturing",
            AllowedRegions = ["eu-central-1", "eu-west-1"],
            Tags = new Dictionary<string, string> { ["cost-center"] = "4711" },
        }));

        var first = await _process.ReconcileAsync(acme);
        Assert.Equal(ReconcileOutcome.RequeueAfter, first.Outcome);
        var creating = _process.Read(acme).Status!;
        Assert.Equal(AccountState.Creating, creating.State);
        Assert.StartsWith("car-", creating.CreateAccountRequestId, StringComparison.Ordinal);
        Assert.NotNull(creating.CreateAccountStartedAt);

        await _process.ReconcileUntilAsync(acme, r => r.Outcome == ReconcileOutcome.Done);

        var status = _process.Read(acme).Status!;
        Assert.Equal(AccountState.Active, status.State);
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Ready), Conditions.Find(status.Conditions, ConditionTypes.Ready)?.Message);
        foreach (var type in new[] { ConditionTypes.AccountCreated, ConditionTypes.Placed, ConditionTypes.GuardrailsApplied, ConditionTypes.AccessVerified })
        {
            Assert.True(Conditions.IsTrue(status.Conditions, type), type);
            Assert.Equal(1, Conditions.Find(status.Conditions, type)!.ObservedGeneration);
        }

        Assert.Null(status.CreateAccountStartedAt);
        Assert.Equal(1, _process.Aws.Log.Count("CreateAccount"));
        var account = (await Org.DescribeAccountAsync(new DescribeAccountRequest { AccountId = status.AccountId! })).Account!;
        Assert.Equal("aws+acme@example.com", account.Email);
        Assert.Equal("ACME GmbH", account.Name);

        var clients = await ChildOuAsync(_rootId, "Clients");
        var manufacturing = await ChildOuAsync(clients, "Manufacturing");
        Assert.Equal(manufacturing, status.OrganizationalUnitId);
        Assert.Equal(manufacturing, (await Org.ListParentsAsync(new ListParentsRequest { ChildId = status.AccountId! })).Parents.Single().Id);

        var guard = RegionGuardPolicy.For(["eu-west-1", "eu-central-1"]);
        var attached = (await Org.ListPoliciesForTargetAsync(new ListPoliciesForTargetRequest { TargetId = status.AccountId!, Filter = "SERVICE_CONTROL_POLICY" })).Policies;
        Assert.Contains(attached, p => p.Name == guard.Name && p.Id == status.GuardrailPolicyId);
        Assert.True(guard.SameContent((await Org.DescribePolicyAsync(new DescribePolicyRequest { PolicyId = status.GuardrailPolicyId! })).Policy!.Content));

        var tags = await TagsAsync(status.AccountId!);
        Assert.Equal("4711", tags["cost-center"]);
        Assert.Equal("tenants/ClientAccount/acme", tags[Labels.Owner]);
        Assert.Equal(acme.Metadata.Uid, tags[Labels.Uid]);
        Assert.Equal("tenants", tags[Labels.Namespace]);
        Assert.Equal(Labels.ManagedByValue, tags[Labels.ManagedBy]);

        var creation = Assert.Single(_process.Aws.Audit.Records, r => r.Action == "organizations:CreateAccount");
        Assert.Equal(AuditOutcome.Success, creation.Outcome);
        Assert.Equal(("tenants", "ClientAccount", "acme", acme.Metadata.Uid), (creation.Actor.Namespace, creation.Actor.Kind, creation.Actor.Name, creation.Actor.Uid));
        Assert.Contains(_process.Events, e => e.Reason == "CreatingAccount");
        Assert.Contains(_process.Events, e => e.Reason == "AccountCreated");
        Assert.Contains(_process.Events, e => e.Reason == "OrganizationalUnitCreated");
        Assert.Contains(_process.Events, e => e.Reason == "GuardrailAttached");
        Assert.Contains(_process.Events, e => e.Reason == "AccessVerified");
    }

    [Fact]
    public async Task A_pass_over_a_converged_account_only_reads_and_drift_is_put_back()
    {
        var acme = _process.Apply(Fixtures.Account("acme", s => s with { OrganizationalUnit = "Clients", Tags = new Dictionary<string, string> { ["team"] = "a" } }));
        await _process.ReconcileUntilAsync(acme, r => r.Outcome == ReconcileOutcome.Done);
        var status = _process.Read(acme).Status!;
        var accountId = status.AccountId!;

        var before = _process.Aws.Audit.Records.Count;
        Assert.Equal(ReconcileOutcome.Done, (await _process.ReconcileAsync(acme)).Outcome);
        Assert.Equal(before, _process.Aws.Audit.Records.Count);

        // Someone moves the account to the root, detaches the guardrail and edits tags.
        await Org.MoveAccountAsync(new MoveAccountRequest { AccountId = accountId, SourceParentId = status.OrganizationalUnitId!, DestinationParentId = _rootId });
        await Org.DetachPolicyAsync(new DetachPolicyRequest { PolicyId = status.GuardrailPolicyId!, TargetId = accountId });
        await Org.TagResourceAsync(new TagResourceRequest { ResourceId = accountId, Tags = [new Tag { Key = "team", Value = "b" }, new Tag { Key = "foreign", Value = "x" }] });
        await Org.UntagResourceAsync(new UntagResourceRequest { ResourceId = accountId, TagKeys = [Labels.Owner] });
        await Org.UpdatePolicyAsync(new UpdatePolicyRequest { PolicyId = status.GuardrailPolicyId!, Content = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" });

        Assert.Equal(ReconcileOutcome.Done, (await _process.ReconcileAsync(acme)).Outcome);

        Assert.Equal(status.OrganizationalUnitId, (await Org.ListParentsAsync(new ListParentsRequest { ChildId = accountId })).Parents.Single().Id);
        Assert.Contains((await Org.ListPoliciesForTargetAsync(new ListPoliciesForTargetRequest { TargetId = accountId, Filter = "SERVICE_CONTROL_POLICY" })).Policies, p => p.Id == status.GuardrailPolicyId);
        Assert.True(RegionGuardPolicy.For(["eu-central-1"]).SameContent((await Org.DescribePolicyAsync(new DescribePolicyRequest { PolicyId = status.GuardrailPolicyId! })).Policy!.Content));
        var tags = await TagsAsync(accountId);
        Assert.Equal("a", tags["team"]);
        Assert.Equal("x", tags["foreign"]);
        Assert.Equal("tenants/ClientAccount/acme", tags[Labels.Owner]);
        Assert.Contains(_process.Events, e => e.Reason == "AccountMoved");
        Assert.Contains(_process.Events, e => e.Reason == "GuardrailPolicyRestored");
    }

    [Fact]
    public async Task Spec_changes_move_the_account_swap_the_guardrail_and_drop_removed_tags()
    {
        var acme = _process.Apply(Fixtures.Account("acme", s => s with { OrganizationalUnit = "Clients/Retail", Tags = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } }));
        await _process.ReconcileUntilAsync(acme, r => r.Outcome == ReconcileOutcome.Done);
        var oldGuard = _process.Read(acme).Status!.GuardrailPolicyId!;

        var changed = _process.Read(acme);
        changed.Spec = changed.Spec with { OrganizationalUnit = "Clients/Manufacturing", AllowedRegions = ["eu-central-1", "eu-west-1"], Tags = new Dictionary<string, string> { ["a"] = "1" } };
        changed.Metadata.Generation = 2;
        _process.Apply(changed);
        Assert.Equal(ReconcileOutcome.Done, (await _process.ReconcileAsync(changed)).Outcome);

        var status = _process.Read(acme).Status!;
        var manufacturing = await ChildOuAsync(await ChildOuAsync(_rootId, "Clients"), "Manufacturing");
        Assert.Equal(manufacturing, (await Org.ListParentsAsync(new ListParentsRequest { ChildId = status.AccountId! })).Parents.Single().Id);
        var attached = (await Org.ListPoliciesForTargetAsync(new ListPoliciesForTargetRequest { TargetId = status.AccountId!, Filter = "SERVICE_CONTROL_POLICY" })).Policies;
        Assert.Contains(attached, p => p.Name == RegionGuardPolicy.For(["eu-central-1", "eu-west-1"]).Name);
        Assert.DoesNotContain(attached, p => p.Id == oldGuard);
        Assert.Contains(attached, p => p.Name == "FullAWSAccess" || p.Id == "p-FullAWSAccess");
        var tags = await TagsAsync(status.AccountId!);
        Assert.False(tags.ContainsKey("b"));
        Assert.Equal(["a"], status.ManagedTagKeys);
        Assert.Equal(2, Conditions.Find(status.Conditions, ConditionTypes.Ready)!.ObservedGeneration);
    }

    [Fact]
    public async Task Deleting_with_Retain_leaves_the_account_active_and_tagged_released()
    {
        var acme = _process.Apply(Fixtures.Account("acme"));
        await _process.ReconcileUntilAsync(acme, r => r.Outcome == ReconcileOutcome.Done);
        var accountId = _process.Read(acme).Status!.AccountId!;
        var deleting = _process.Read(acme);
        deleting.Metadata.DeletionTimestamp = DateTime.UtcNow;
        _process.Apply(deleting);
        var mutationsBefore = _process.Aws.Audit.Records.Count;

        Assert.Equal(ReconcileOutcome.Done, (await _process.ReconcileAsync(deleting)).Outcome);

        Assert.Null(_store.Read(Runtime.ObjectKey.From(acme)));
        Assert.Equal("ACTIVE", (await Org.DescribeAccountAsync(new DescribeAccountRequest { AccountId = accountId })).Account!.State);
        var tags = await TagsAsync(accountId);
        Assert.True(DateTimeOffset.TryParse(tags[Labels.Released], out _));
        Assert.Equal(acme.Metadata.Uid, tags[Labels.Uid]);
        Assert.Equal(["organizations:TagResource"], _process.Aws.Audit.Records.Skip(mutationsBefore).Select(r => r.Action));
        Assert.Contains(_process.Events, e => e.Reason == "AccountReleased");
    }

    [Fact]
    public async Task Deleting_with_Close_closes_the_account_and_waits_for_it()
    {
        var acme = _process.Apply(Fixtures.Account("acme", s => s with { DeletionPolicy = AccountDeletionPolicy.Close }));
        await _process.ReconcileUntilAsync(acme, r => r.Outcome == ReconcileOutcome.Done);
        var accountId = _process.Read(acme).Status!.AccountId!;
        var deleting = _process.Read(acme);
        deleting.Metadata.DeletionTimestamp = DateTime.UtcNow;
        _process.Apply(deleting);

        var first = await _process.ReconcileAsync(deleting);
        Assert.Equal(ReconcileOutcome.RequeueAfter, first.Outcome);
        Assert.Equal(AccountState.Closing, _process.Read(acme).Status!.State);
        Assert.Equal(ReconcileOutcome.Done, (await _process.ReconcileAsync(deleting)).Outcome);

        Assert.Null(_store.Read(Runtime.ObjectKey.From(acme)));
        Assert.Equal("SUSPENDED", (await Org.DescribeAccountAsync(new DescribeAccountRequest { AccountId = accountId })).Account!.State);
        Assert.Equal(1, _process.Aws.Log.Count("CloseAccount"));
    }

    [Fact]
    public async Task Deleting_before_any_account_exists_only_removes_the_finalizer()
    {
        var acme = _process.Apply(Fixtures.Account("acme", s => s with { OrganizationalUnit = "A/B/C/D/E/F" }));
        Assert.Equal(ReconcileOutcome.Terminal, (await _process.ReconcileAsync(acme)).Outcome);
        var deleting = _process.Read(acme);
        deleting.Metadata.DeletionTimestamp = DateTime.UtcNow;
        _process.Apply(deleting);

        Assert.Equal(ReconcileOutcome.Done, (await _process.ReconcileAsync(deleting)).Outcome);

        Assert.Null(_store.Read(Runtime.ObjectKey.From(acme)));
        Assert.DoesNotContain(_process.Aws.Audit.Records, r => r.Actor.Kind == ClientAccount.KubeKind);
    }

    [Fact]
    public async Task Adoption_takes_over_a_member_account_and_refuses_one_outside_the_organization()
    {
        var existing = (await Org.CreateAccountAsync(new CreateAccountRequest { Email = "aws+legacy@example.com", AccountName = "Legacy" })).CreateAccountStatus!.AccountId!;
        var legacy = _process.Apply(Fixtures.Account("legacy", s => s with { Email = "aws+legacy@example.com", AdoptAccountId = existing }));
        var stranger = _process.Apply(Fixtures.Account("stranger", s => s with { Email = "aws+stranger@example.com", AdoptAccountId = "999999999999" }));
        var creates = _process.Aws.Log.Count("CreateAccount");

        await _process.ReconcileUntilAsync(legacy, r => r.Outcome == ReconcileOutcome.Done);
        var refused = await _process.ReconcileAsync(stranger);

        var status = _process.Read(legacy).Status!;
        Assert.Equal(existing, status.AccountId);
        Assert.True(status.Adopted);
        Assert.Equal(ConditionReasons.Adopted, Conditions.Find(status.Conditions, ConditionTypes.AccountCreated)!.Reason);
        Assert.Equal(ReconcileOutcome.Terminal, refused.Outcome);
        Assert.Equal(ConditionReasons.TerminalNotInOrganization, refused.Reason);
        Assert.Contains("999999999999 is not an account of this organization", refused.Message, StringComparison.Ordinal);
        var strangerStatus = _process.Read(stranger).Status!;
        Assert.Equal(AccountState.Failed, strangerStatus.State);
        Assert.Equal(ConditionReasons.TerminalNotInOrganization, Conditions.Find(strangerStatus.Conditions, ConditionTypes.Ready)!.Reason);
        Assert.Equal(creates, _process.Aws.Log.Count("CreateAccount"));
    }

    public static TheoryData<string, string?, string> ExistingEmail => new()
    {
        { "untagged account", null, ConditionReasons.TerminalEmailAlreadyExists },
        { "another owner's account", "uid-someone-else", ConditionReasons.TerminalOwnershipConflict },
    };

    [Theory]
    [MemberData(nameof(ExistingEmail))]
    public async Task An_email_already_used_in_the_organization_is_refused_with_nothing_created(string _, string? ownerUid, string reason)
    {
        var tags = ownerUid is null ? null : new List<Tag> { new() { Key = Labels.Uid, Value = ownerUid }, new() { Key = Labels.Owner, Value = "other/ClientAccount/x" } };
        var existing = (await Org.CreateAccountAsync(new CreateAccountRequest { Email = "aws+acme@example.com", AccountName = "Old", Tags = tags })).CreateAccountStatus!.AccountId!;
        var acme = _process.Apply(Fixtures.Account("acme"));
        var creates = _process.Aws.Log.Count("CreateAccount");

        var result = await _process.ReconcileAsync(acme);

        Assert.Equal(ReconcileOutcome.Terminal, result.Outcome);
        Assert.Equal(reason, result.Reason);
        Assert.Contains(existing, result.Message, StringComparison.Ordinal);
        if (ownerUid is null)
        {
            Assert.Contains($"spec.adoptAccountId: \"{existing}\"", result.Message, StringComparison.Ordinal);
        }

        Assert.Equal(creates, _process.Aws.Log.Count("CreateAccount"));
        Assert.Equal(reason, Conditions.Find(_process.Read(acme).Status!.Conditions, ConditionTypes.Ready)!.Reason);
    }

    [Fact]
    public async Task An_account_carrying_our_uid_is_taken_over_silently()
    {
        var acme = _process.Apply(Fixtures.Account("acme"));
        var existing = (await Org.CreateAccountAsync(new CreateAccountRequest
        {
            Email = "AWS+ACME@example.com",
            AccountName = "acme",
            Tags = [new Tag { Key = Labels.Uid, Value = acme.Metadata.Uid! }],
        })).CreateAccountStatus!.AccountId!;
        var creates = _process.Aws.Log.Count("CreateAccount");

        await _process.ReconcileUntilAsync(acme, r => r.Outcome == ReconcileOutcome.Done);

        var status = _process.Read(acme).Status!;
        Assert.Equal(existing, status.AccountId);
        Assert.False(status.Adopted);
        Assert.Equal(creates, _process.Aws.Log.Count("CreateAccount"));
        Assert.Contains(_process.Events, e => e.Reason == "AccountFound");
    }

    [Fact]
    public async Task An_email_owned_by_another_namespace_is_refused_before_anything_is_sent()
    {
        var first = _process.Apply(Fixtures.Account("acme", @namespace: "tenant-a"));
        var second = _process.Apply(Fixtures.Account("acme", @namespace: "tenant-b"));
        await _process.ReconcileUntilAsync(first, r => r.Outcome == ReconcileOutcome.Done);
        var sent = _process.Aws.Log.Operations.Count;

        var result = await _process.ReconcileAsync(second);

        Assert.Equal(ReconcileOutcome.Terminal, result.Outcome);
        Assert.Equal(ConditionReasons.TerminalOwnershipConflict, result.Reason);
        Assert.Contains("tenant-a/acme", result.Message, StringComparison.Ordinal);
        Assert.Equal(sent, _process.Aws.Log.Operations.Count);
    }

    [Fact]
    public async Task An_access_role_that_cannot_be_used_shows_as_a_condition_not_a_terminal_error()
    {
        // An account created with the default role, taken over with a role name that does not exist in it.
        var existing = (await Org.CreateAccountAsync(new CreateAccountRequest { Email = "aws+acme@example.com", AccountName = "acme" })).CreateAccountStatus!.AccountId!;
        var acme = _process.Apply(Fixtures.Account("acme", s => s with { AdoptAccountId = existing, AccessRoleName = "MissingRole" }));

        var result = await _process.ReconcileUntilAsync(acme, r => r.Reason is AccountReasons.AccessNotVerified or AccountReasons.AccessDenied);

        Assert.Equal(ReconcileOutcome.RequeueAfter, result.Outcome);
        var status = _process.Read(acme).Status!;
        Assert.True(Conditions.IsFalse(status.Conditions, ConditionTypes.AccessVerified));
        Assert.True(Conditions.IsFalse(status.Conditions, ConditionTypes.Ready));
        Assert.False(ConditionReasons.IsTerminal(Conditions.Find(status.Conditions, ConditionTypes.Ready)!.Reason));
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.GuardrailsApplied));
    }

    private async Task<string> ChildOuAsync(string parentId, string name) =>
        (await Org.ListOrganizationalUnitsForParentAsync(new ListOrganizationalUnitsForParentRequest { ParentId = parentId })).OrganizationalUnits.Single(o => o.Name == name).Id!;

    private async Task<Dictionary<string, string>> TagsAsync(string accountId) =>
        (await Org.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceId = accountId })).Tags.ToDictionary(t => t.Key, t => t.Value);
}
