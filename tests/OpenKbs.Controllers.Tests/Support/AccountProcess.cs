using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws;
using OpenKbs.Aws.Organizations;
using OpenKbs.Controllers.ClientAccounts;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Tests.Support;

/// <summary>
/// One operator "process" for step tests: the ClientAccount recipe with its own process memory (creation queue,
/// organization root), the AWS layer pointed at moto, and an API-server stand-in shared between processes, so a test
/// can crash one process at a chosen instant and continue with a fresh one.
/// </summary>
internal sealed class AccountProcess : IDisposable
{
    private readonly Func<IOrganizationsClient, IOrganizationsClient> _wrap;

    public AccountProcess(
        Uri endpoint,
        InMemoryStatusStore store,
        ListCache cache,
        ClientAccountOptions? options = null,
        Func<IOrganizationsClient, IOrganizationsClient>? wrap = null,
        IReadOnlyList<DelegatingHandler>? awsHandlers = null,
        OpenKbs.Controllers.Shared.IncidentSignals? incidents = null)
    {
        Store = store;
        Cache = cache;
        Aws = new AwsHost(endpoint, inner: awsHandlers);
        _wrap = wrap ?? (o => o);
        var settings = Microsoft.Extensions.Options.Options.Create(options ?? Fast());
        var awsOptions = new AwsOptions();
        awsOptions.AllowedRegions.Add("eu-west-1");
        Queue = new CreationQueue(settings, TimeProvider.System);
        var root = new OrganizationRoot();
        var tracker = new CreateRequestTracker(Queue, settings);
        Recipe = new ClientAccountRecipe(
            new DeletionStep(tracker, Queue, settings),
            new ValidationStep(cache, Queue, Microsoft.Extensions.Options.Options.Create(awsOptions)),
            new AccountStep(Queue, tracker, cache, settings, NullLogger<AccountStep>.Instance),
            tracker,
            new PlacementStep(new OrganizationalUnitResolver(root)),
            new GuardrailStep(new GuardrailPolicies(root), root, incidents),
            new AccessStep(new AwsAccessProbe(Aws.Factory), settings),
            NullLogger<ClientAccountRecipe>.Instance,
            incidents);
    }

    public AwsHost Aws { get; }

    public InMemoryStatusStore Store { get; }

    public ListCache Cache { get; }

    public CreationQueue Queue { get; }

    public ClientAccountRecipe Recipe { get; }

    public List<(EventType Type, string Reason, string Message)> Events { get; } = [];

    /// <summary>Short waits: tests drive passes themselves.</summary>
    public static ClientAccountOptions Fast() => new()
    {
        WaitWhileAccountCreating = TimeSpan.FromMilliseconds(100),
        WaitWhileQueued = TimeSpan.FromMilliseconds(100),
        WaitAtQueueHead = TimeSpan.FromMilliseconds(100),
        WaitWhileClosing = TimeSpan.FromMilliseconds(100),
        WaitForAccessFirst = TimeSpan.FromMilliseconds(100),
        WaitForAccessMax = TimeSpan.FromSeconds(1),
        WaitBeforeCreateRetry = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>Adds a new object to the API server stand-in and the cache.</summary>
    public ClientAccount Apply(ClientAccount resource)
    {
        var stored = Store.Put(resource);
        Cache.Set(stored);
        return stored;
    }

    /// <summary>One pass as the runtime runs it: the cached copy, the recipe, then the final status write.</summary>
    public async Task<ReconcileResult> ReconcileAsync(ClientAccount resource, CancellationToken cancellationToken = default)
    {
        var key = ObjectKey.From(resource);
        var current = Store.Read(key) ?? throw new InvalidOperationException($"{key} is gone");
        var pass = new AccountPass(current, _wrap(Aws.Factory.ForManagement(OpenKbs.Controllers.Shared.AwsActors.For(current, ClientAccountRegistration.ControllerName)).Organizations),
            Store, TimeProvider.System, (t, r, m) => Events.Add((t, r, m)));
        var finalizer = new TestFinalizer(Store, current);
        var result = await Recipe.RunAsync(pass, finalizer, cancellationToken);
        if (result.Exception is SimulatedCrashException)
        {
            // The process died: no final status write, its memory is gone.
            return result;
        }

        if (!finalizer.ObjectRemoved && Store.Read(key) is { } stored)
        {
            // The runtime's final write re-applies the pass's status on the latest object.
            stored.Status = current.Status;
            Cache.Set(Store.Put(stored));
        }
        else if (finalizer.ObjectRemoved)
        {
            Cache.Remove(key);
        }

        return result;
    }

    /// <summary>Runs passes until <paramref name="done"/> holds (or fails after <paramref name="maxPasses"/>).</summary>
    public async Task<ReconcileResult> ReconcileUntilAsync(ClientAccount resource, Func<ReconcileResult, bool> done, int maxPasses = 20)
    {
        for (var i = 0; i < maxPasses; i++)
        {
            var result = await ReconcileAsync(resource);
            if (done(result))
            {
                return result;
            }
        }

        throw new Xunit.Sdk.XunitException($"{ObjectKey.From(resource)} did not converge in {maxPasses} passes; last status: {k8s.KubernetesJson.Serialize(Store.Read(ObjectKey.From(resource))?.Status)}");
    }

    public ClientAccount Read(ClientAccount resource) => Store.Read(ObjectKey.From(resource)) ?? throw new InvalidOperationException("gone");

    public void Dispose() => Aws.Dispose();
}
