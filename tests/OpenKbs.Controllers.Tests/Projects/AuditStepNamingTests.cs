using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Projects.Components.Audit;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>The AuditRun a Project creates for a version: its deterministic name, its spec and its owner.</summary>
public sealed class AuditStepNamingTests
{
    private const string Sha = "DB8738746d4db84a39318ff0fc955d9f4866557d6d9467c4371f4f67cde24a83";

    [Theory]
    [InlineData("shop", "1.0.0", "shop-1-0-0-db8738746d4d")]
    [InlineData("shop", "2.0.0-RC.1+build_7", "shop-2-0-0-rc-1-build-7-db8738746d4d")]
    [InlineData("shop", "..", "shop-db8738746d4d")]
    [InlineData("a.b", "v1", "a.b-v1-db8738746d4d")]
    public void The_name_is_project_version_and_short_digest(string project, string version, string expected) =>
        Assert.Equal(expected, AuditStep.RunName(project, version, Sha));

    [Fact]
    public void A_long_name_is_cut_to_a_valid_object_name_keeping_the_digest()
    {
        var name = AuditStep.RunName(new string('p', 250), "1.0.0", Sha);
        Assert.Equal(253, name.Length);
        Assert.EndsWith("-db8738746d4d", name, StringComparison.Ordinal);
        Assert.Matches("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", name);
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData(true, null, true)]
    [InlineData(false, null, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, true)]
    public void Runs_are_created_when_createRuns_says_so_else_when_required(bool? required, bool? createRuns, bool expected) =>
        Assert.Equal(expected, AuditStep.CreatesRuns(required is null ? null : new ProjectAuditSpec { Required = required.Value, CreateRuns = createRuns }));

    [Fact]
    public void The_run_is_pinned_to_the_spec_and_owned_by_the_project()
    {
        var project = new Project
        {
            Metadata = new() { Name = "shop", NamespaceProperty = "acme", Uid = "0b7c9a2e-5d1f-4c3b-9e8a-6f2d1c0b3a45" },
            Spec = ProjectFixtures.Spec() with { Version = "1.2.0" },
        };

        var run = AuditStep.NewRun(project, "shop-1-2-0-abc");

        Assert.Equal(("shop-1-2-0-abc", "acme"), (run.Metadata.Name, run.Metadata.NamespaceProperty));
        Assert.Equal(("shop", "1.2.0"), (run.Spec.ProjectRef.Name, run.Spec.Version));
        Assert.Equal(project.Spec.Source, run.Spec.Source);
        Assert.Equal(FailOnSeverity.Critical, run.Spec.FailOn);
        Assert.Null(run.Spec.Checks);
        Assert.Null(run.Status);
        var owner = Assert.Single(run.Metadata.OwnerReferences);
        Assert.Equal(("openkbs.com/v1alpha1", "Project", "shop", project.Metadata.Uid, true, false),
            (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
    }
}
