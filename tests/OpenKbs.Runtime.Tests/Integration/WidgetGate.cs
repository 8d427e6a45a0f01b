namespace OpenKbs.Runtime.Tests.Integration;

/// <summary>Holds reconciles of Widgets in mode "blocked" until <see cref="Open"/> (one per test operator).</summary>
public sealed class WidgetGate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting;

    /// <summary>Reconciles waiting at the gate right now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await _open.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    public void Open() => _open.TrySetResult();
}
