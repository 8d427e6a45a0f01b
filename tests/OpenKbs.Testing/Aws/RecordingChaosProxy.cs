using OpenKbs.Sandbox.Aws.Chaos;

namespace OpenKbs.Testing.Aws;

/// <summary>
/// The AWS chaos proxy of <c>openkbs sandbox --aws-chaos</c> (<see cref="AwsChaosProxy"/>, same engine and handler) with
/// a <see cref="CreationTimeline"/> in front of its chaos handler, for tests that run the operator as a separate process:
/// the timeline sees every call (CreateAccount, status polls, writes) with the answer the faults and realism gave.
/// </summary>
public sealed class RecordingChaosProxy : IAsyncDisposable
{
    private readonly AwsChaosProxy _proxy;

    private RecordingChaosProxy(AwsChaosProxy proxy, CreationTimeline timeline)
    {
        _proxy = proxy;
        Timeline = timeline;
    }

    /// <summary>Use as AWS_ENDPOINT_URL.</summary>
    public Uri Endpoint => _proxy.Endpoint;

    public AwsChaosEngine Engine => _proxy.Engine;

    public CreationTimeline Timeline { get; }

    public static async Task<RecordingChaosProxy> StartAsync(Uri moto, AwsChaosSpec spec, TimeSpan? awsDuration = null)
    {
        ArgumentNullException.ThrowIfNull(moto);
        var timeline = new CreationTimeline { AwsDuration = awsDuration };
        var proxy = await AwsChaosProxy.StartAsync(new AwsChaosProxyOptions { Backend = moto, Spec = spec, Outer = timeline });
        return new RecordingChaosProxy(proxy, timeline);
    }

    public ValueTask DisposeAsync() => _proxy.DisposeAsync();
}
