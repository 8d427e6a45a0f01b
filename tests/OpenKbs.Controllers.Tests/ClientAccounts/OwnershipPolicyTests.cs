using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.ClientAccounts;
using OpenKbs.Controllers.Tests.Support;

namespace OpenKbs.Controllers.Tests.ClientAccounts;

public sealed class OwnershipPolicyTests
{
    private static readonly DateTime Early = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Late = Early.AddHours(1);

    /// <summary>me, other, whether me is refused, and what it is refused for.</summary>
    public static TheoryData<string, ClientAccount, ClientAccount, bool, string?> Cases => new()
    {
        { "different emails, no conflict", Acc("me", "a@example.com", Late), Acc("other", "b@example.com", Early), false, null },
        { "same email, other older", Acc("me", "a@example.com", Late), Acc("other", "a@example.com", Early, "b"), true, "email" },
        { "same email, case differs, other older", Acc("me", "A@Example.com", Late), Acc("other", "a@example.com", Early, "b"), true, "email" },
        { "same email, me older", Acc("me", "a@example.com", Early), Acc("other", "a@example.com", Late, "b"), false, null },
        { "same email, younger me holds the account", Acc("me", "a@example.com", Late, status: s => s.AccountId = "111111111111"), Acc("other", "a@example.com", Early, "b"), false, null },
        { "same email, younger other holds a creation in flight", Acc("me", "a@example.com", Early), Acc("other", "a@example.com", Late, "b", s => s.CreateAccountRequestId = "car-1"), true, "email" },
        { "same email, same time: uid decides (me first)", Acc("me", "a@example.com", Early, uid: "uid-a"), Acc("other", "a@example.com", Early, "b", uid: "uid-b"), false, null },
        { "same email, same time: uid decides (other first)", Acc("me", "a@example.com", Early, uid: "uid-b"), Acc("other", "a@example.com", Early, "b", uid: "uid-a"), true, "email" },
        { "adopting an account another holds", Acc("me", "a@example.com", Early, adopt: "111111111111"), Acc("other", "b@example.com", Late, "b", s => s.AccountId = "111111111111"), true, "account" },
        { "adopting an account an older one wants to adopt", Acc("me", "a@example.com", Late, adopt: "111111111111"), Acc("other", "b@example.com", Early, "b", adopt: "111111111111"), true, "account" },
        { "adopting an account a younger one wants to adopt", Acc("me", "a@example.com", Early, adopt: "111111111111"), Acc("other", "b@example.com", Late, "b", adopt: "111111111111"), false, null },
        { "holding an account a older one wants to adopt", Acc("me", "a@example.com", Late, status: s => s.AccountId = "111111111111"), Acc("other", "b@example.com", Early, "b", adopt: "111111111111"), false, null },
        { "same object (same uid) is not a conflict", Acc("me", "a@example.com", Late, uid: "same"), Acc("me", "a@example.com", Early, uid: "same"), false, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void First_come_first_served_unless_the_other_already_holds_it(string _, ClientAccount me, ClientAccount other, bool refused, string? what)
    {
        var conflict = OwnershipPolicy.FindConflict(me, [me, other]);

        Assert.Equal(refused, conflict is not null);
        Assert.Equal(what, conflict?.What);
        if (conflict is not null)
        {
            Assert.Contains($"{other.Metadata.NamespaceProperty}/{other.Metadata.Name}", conflict.Message, StringComparison.Ordinal);
            Assert.Contains("nothing was created", conflict.Message, StringComparison.Ordinal);
        }
    }

    private static ClientAccount Acc(string name, string email, DateTime created, string @namespace = "a", Action<ClientAccountStatus>? status = null, string? uid = null, string? adopt = null)
    {
        var resource = Fixtures.Account(name, s => s with { Email = email, AdoptAccountId = adopt }, @namespace, created, status);
        if (uid is not null)
        {
            resource.Metadata.Uid = uid;
        }

        return resource;
    }
}
