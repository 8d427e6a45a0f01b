using OpenKbs.Runtime.Kube;
using OpenKbs.Runtime.Tests.Widgets;

namespace OpenKbs.Runtime.Tests.Integration;

/// <summary><see cref="ResourceCreator{TResource}"/> against the sandbox API server: create only, AlreadyExists is success, nothing overwritten.</summary>
[Collection(RuntimeSandboxCollection.Name)]
public sealed class ResourceCreatorTests(RuntimeSandbox sandbox)
{
    [Fact]
    public async Task Creates_once_answers_false_when_the_name_exists_and_never_writes_the_existing_spec()
    {
        var ns = await sandbox.CreateNamespaceAsync("rt");
        var creator = new ResourceCreator<Widget>(sandbox.Client);
        var widget = Widget.Create(ns, "made", "green");
        widget.Status = new WidgetStatus { SeenColor = "not sent", Passes = 7 };

        Assert.True(await creator.CreateIfAbsentAsync(widget, CancellationToken.None));
        var made = (await sandbox.Client.GetWidgetAsync(ns, "made"))!;
        Assert.Equal("green", made.Spec.Color);
        Assert.Null(made.Status?.SeenColor); // the status is never sent with a create

        Assert.False(await creator.CreateIfAbsentAsync(Widget.Create(ns, "made", "red"), CancellationToken.None));
        var kept = (await sandbox.Client.GetWidgetAsync(ns, "made"))!;
        Assert.Equal("green", kept.Spec.Color);
        Assert.Equal(made.Metadata.ResourceVersion, kept.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Other_refusals_are_not_hidden()
    {
        var creator = new ResourceCreator<Widget>(sandbox.Client);
        var error = await Assert.ThrowsAsync<KubeApiException>(() => creator.CreateIfAbsentAsync(Widget.Create("no-such-namespace-" + Guid.NewGuid().ToString("N")[..8], "w"), CancellationToken.None));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
    }
}
