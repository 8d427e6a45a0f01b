using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Controllers.Projects.Components.Access;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>The rotation's decisions (docs/access.md, "Signing-key rotation"): when a rotation is due, how long the previous key is published.</summary>
public sealed class SigningKeysTests
{
    private static readonly DateTime Since = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTimeOffset At = new(Since, TimeSpan.Zero);

    [Fact]
    public void A_rotation_is_due_after_the_period_and_never_while_one_is_under_way()
    {
        var access = new AccessStatus { SigningKeyId = "k2", SigningKeyRotatedAt = Since };
        Assert.False(SigningKeys.RotationDue(access, 90, At.AddDays(90).AddSeconds(-1)));
        Assert.True(SigningKeys.RotationDue(access, 90, At.AddDays(90)));
        Assert.True(SigningKeys.RotationDue(access, 1, At.AddDays(1)));

        access.PreviousSigningKeyId = "k1";
        Assert.False(SigningKeys.RotationDue(access, 1, At.AddDays(400)));
        Assert.False(SigningKeys.RotationDue(new AccessStatus { SigningKeyId = "k1" }, 1, At.AddDays(400))); // no switch time yet
    }

    [Fact]
    public void The_period_defaults_to_90_days_and_stays_within_1_to_365()
    {
        Assert.Equal(90, SigningKeys.RotationDays(new ProjectSpec { ClientAccountRef = new LocalObjectReference { Name = "acme" }, Version = "1.0.0" }));
        Assert.Equal(7, SigningKeys.RotationDays(Spec(7)));
        Assert.Equal(1, SigningKeys.RotationDays(Spec(0)));
        Assert.Equal(365, SigningKeys.RotationDays(Spec(1000)));
    }

    [Fact]
    public void The_previous_key_is_published_while_enabled_and_until_its_retirement_time()
    {
        var enabled = new KeyMetadata { KeyId = "k1", KeyState = "Enabled" };
        var access = new AccessStatus { SigningKeyId = "k2", PreviousSigningKeyId = "k1" };
        Assert.True(SigningKeys.PublishPrevious(access, enabled, At)); // the function has not switched yet: no retirement time
        access.PreviousSigningKeyRetiresAt = (At + SigningKeys.Grace).UtcDateTime;
        Assert.True(SigningKeys.PublishPrevious(access, enabled, At + SigningKeys.Grace - TimeSpan.FromSeconds(1)));
        Assert.False(SigningKeys.PublishPrevious(access, enabled, At + SigningKeys.Grace));
        Assert.False(SigningKeys.PublishPrevious(access, enabled with { KeyState = "Disabled" }, At));
        Assert.False(SigningKeys.PublishPrevious(access, null, At));
        Assert.True(SigningKeys.Grace >= TimeSpan.FromSeconds(AccessRendering.MaxTokenLifetimeSeconds + 30)); // every token's lifetime plus the helper's skew
    }

    private static ProjectSpec Spec(int days) => new()
    {
        ClientAccountRef = new LocalObjectReference { Name = "acme" },
        Version = "1.0.0",
        Access = new AccessSpec { SigningKeyRotationDays = days },
    };
}
