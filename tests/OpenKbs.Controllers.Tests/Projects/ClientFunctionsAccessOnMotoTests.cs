using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Lambda.Model;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.Access;
using OpenKbs.Controllers.Projects.Components.Functions;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Testing.Moto;
using Xunit.Abstractions;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>
/// Issue 14, client side of the access component (docs/access.md, "Client functions"): with client access on, every client
/// function carries the project's current <c>@openkbs/auth</c> layer version and <c>OPENKBS_JWKS_URL</c> (the CDN's
/// <c>/auth/jwks.json</c>), as GetFunction reports them; the access function carries neither. A drift check costs reads only;
/// a new layer version reaches the functions in the same pass that publishes it; access turned off removes both.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ClientFunctionsAccessOnMotoTests(MotoServerFixture moto, CrdSandboxFixture sandbox, ITestOutputHelper output) : IClassFixture<CrdSandboxFixture>
{
    [Fact]
    public async Task Client_functions_get_the_projects_layer_and_jwks_url_follow_a_new_layer_version_and_lose_both_when_access_is_off()
    {
        var spec = ProjectFixtures.Spec() with { Cdn = new CdnSpec { Enabled = true, Aliases = ["shop.example"], AcmCertificateArn = ProjectStepHarness.Certificate } };
        using var h = await ProjectStepHarness.StartAsync(moto, sandbox, spec);
        var (artifact, sha) = await h.UploadArtifactAsync("1.0.0", "export const handler = async () => ({ statusCode: 200 });");
        h.Deploy("1.0.0", artifact, sha);
        h.Options.WaitForDistribution = TimeSpan.Zero;
        IReadOnlyList<IProjectStep> All() => h.AllSteps();

        var outcomes = await h.ConvergeAsync(maxPasses: 40, All);
        Assert.True(outcomes.Values.All(o => o.IsReady), string.Join("; ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
        var access = h.Project.Status!.Access!;
        var layer = access.LayerVersionArn!;
        Assert.Equal("https://shop.example/auth/jwks.json", access.JwksUrl); // the CDN endpoint (its first alias)
        Assert.StartsWith($"arn:aws:lambda:{ProjectStepHarness.Region}:{h.AccountId}:layer:{AccessNames.Layer(h.Names)}:", layer, StringComparison.Ordinal);
        foreach (var function in spec.Functions!)
        {
            var configuration = await ConfigurationAsync(h, h.Names.Function(function.Name));
            Assert.Equal([layer], configuration.Layers!.Select(l => l.Arn));
            Assert.Equal(access.JwksUrl, configuration.Environment!.Variables![FunctionRendering.JwksUrlVariable]);
            Assert.Equal(h.Project.Metadata.Uid, configuration.Environment.Variables[FunctionRendering.UidVariable]); // the helper's audience
        }

        // The access function carries the helper in its own zip and serves the JWKS itself: no layer, no URL.
        var accessFunction = await ConfigurationAsync(h, AccessNames.Function(h.Names));
        Assert.Empty(accessFunction.Layers ?? []);
        Assert.DoesNotContain(FunctionRendering.JwksUrlVariable, accessFunction.Environment!.Variables!.Keys);

        // A drift check: reads only.
        var audited = h.Audit.Records.Count;
        var requests = h.Log.Operations.Count;
        var drift = await h.PassAsync(All);
        Assert.All(drift, o => Assert.True(o.Value.IsReady, $"{o.Key}: {o.Value}"));
        Assert.Empty(h.Audit.Records.Skip(audited).Select(r => r.Action));
        output.WriteLine($"drift check (2 functions, access, CDN): {h.Log.Operations.Count - requests} AWS requests, all reads");

        // A newer layer version that is not the operator's helper appears: the access step publishes the helper again and the
        // functions take that version in the same pass.
        await h.Member.Lambda.PublishLayerVersionAsync(new PublishLayerVersionRequest
        {
            LayerName = AccessNames.Layer(h.Names),
            Description = "not the operator's helper",
            Content = new LayerVersionContentInput { ZipFile = AccessBundle.Current.LayerZip },
            CompatibleRuntimes = [LambdaRuntimes.NodeJs24],
        });
        audited = h.Audit.Records.Count;
        await h.PassAsync(All);
        var republished = h.Project.Status.Access!.LayerVersionArn!;
        Assert.NotEqual(layer, republished);
        Assert.Equal([republished], (await ConfigurationAsync(h, h.Names.Function("api"))).Layers!.Select(l => l.Arn));
        Assert.Contains(h.Audit.Records.Skip(audited), r => r.Action == "lambda:UpdateFunctionConfiguration");
        Assert.Contains(h.Events, e => e.Contains("function api: Layers updated", StringComparison.Ordinal));
        outcomes = await h.ConvergeAsync(maxPasses: 20, All);
        Assert.True(outcomes.Values.All(o => o.IsReady), string.Join("; ", outcomes.Select(o => $"{o.Key}: {o.Value}")));

        // Access turned off: the layer and the variable leave every client function.
        h.Project.Spec = h.Project.Spec with { Access = new AccessSpec { Enabled = false } };
        outcomes = await h.ConvergeAsync(maxPasses: 30, All);
        Assert.True(outcomes.Values.All(o => o.IsReady), string.Join("; ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
        foreach (var function in spec.Functions!)
        {
            var configuration = await ConfigurationAsync(h, h.Names.Function(function.Name));
            Assert.Empty(configuration.Layers ?? []);
            Assert.DoesNotContain(FunctionRendering.JwksUrlVariable, configuration.Environment!.Variables!.Keys);
        }

        var denied = h.Calls.NotGranted(AwsHost.Actor);
        Assert.True(denied.Count == 0, string.Join("\n", denied));
    }

    private static async Task<FunctionConfiguration> ConfigurationAsync(ProjectStepHarness h, string name) =>
        (await h.Member.Lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = name })).Configuration!;
}
