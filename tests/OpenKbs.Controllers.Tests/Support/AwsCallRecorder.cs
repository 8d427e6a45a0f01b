using System.Collections.Concurrent;
using OpenKbs.Aws.Pipeline;

namespace OpenKbs.Controllers.Tests.Support;

/// <summary>Records every AWS call the layer sends (reads and mutations), as the IAM policy of the calling account sees it.</summary>
internal sealed class AwsCallRecorder : IAwsCallObserver
{
    private readonly ConcurrentQueue<AwsCall> _calls = new();

    public IReadOnlyList<AwsCall> Calls => [.. _calls];

    public void OnCall(AwsCall call) => _calls.Enqueue(call);
}
