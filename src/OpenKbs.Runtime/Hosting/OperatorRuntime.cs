using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenKbs.Runtime.Cache;
using OpenKbs.Runtime.Controllers;
using OpenKbs.Runtime.Leader;
using OpenKbs.Runtime.Metrics;

namespace OpenKbs.Runtime.Hosting;

/// <summary>
/// Runs the informers (always, also on a standby, so a new leader starts with warm caches), waits for their first sync,
/// then runs the controllers for as long as this process leads. Losing the Lease cancels in-flight reconciles at once,
/// drops every queue and starts no new work (controller-runtime and KubeOps #1130 semantics) — then the process stands by
/// and competes for the Lease again. Shutdown stops intake, lets in-flight reconciles finish within the shutdown
/// timeout, then deletes the Lease so a standby takes over immediately.
/// </summary>
internal sealed partial class OperatorRuntime(
    InformerRegistry informers,
    IEnumerable<IManagedController> controllers,
    IKubernetes kubernetes,
    RuntimeOptions options,
    RuntimeIdentity identity,
    RuntimeState state,
    RuntimeMetrics metrics,
    ILogger<OperatorRuntime> logger) : BackgroundService
{
    private readonly IReadOnlyList<IManagedController> _controllers = controllers.ToList();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var informerRuns = informers.All.Select(i => i.RunAsync(stoppingToken)).ToList();
        try
        {
            state.Running = true;
            LogWaitingForSync(logger, informers.All.Count);
            await Task.WhenAll(informers.All.Select(i => i.Synced)).WaitAsync(stoppingToken).ConfigureAwait(false);
            LogSynced(logger);
            if (!options.LeaderElection.Enabled)
            {
                state.IsLeader = true;
                LogNoElection(logger, identity.Identity);
                await RunTermAsync(CancellationToken.None, stoppingToken).ConfigureAwait(false);
            }
            else
            {
                await ElectAndRunAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception ex)
        {
            state.LoopFailure = ex.Message;
            LogLoopFailed(logger, ex);
            throw;
        }
        finally
        {
            state.IsLeader = false;
            state.Running = false;
            await Task.WhenAll(informerRuns).ConfigureAwait(false);
        }
    }

    /// <summary>One leadership term: every controller runs until leadership is lost (abort now) or the host stops (drain, then abort).</summary>
    private async Task RunTermAsync(CancellationToken leadershipLost, CancellationToken stopping)
    {
        using var intake = CancellationTokenSource.CreateLinkedTokenSource(leadershipLost, stopping);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(leadershipLost);
        using var drain = stopping.Register(() =>
        {
            try
            {
                abort.CancelAfter(options.ShutdownTimeout);
            }
            catch (ObjectDisposedException)
            {
                // The term already ended.
            }
        });
        await Task.WhenAll(_controllers.Select(c => c.RunAsync(intake.Token, abort.Token))).ConfigureAwait(false);
    }

    private async Task ElectAndRunAsync(CancellationToken stoppingToken)
    {
        var election = options.LeaderElection;
        var leaseLock = new LeaseLock(kubernetes, identity.LeaseNamespace, election.LeaseName, identity.Identity);
        var config = new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = election.LeaseDuration,
            RenewDeadline = election.RenewDeadline,
            RetryPeriod = election.RetryPeriod,
        };
        var leaderGauge = metrics.LeaderStatus.WithLabels(election.LeaseName);
        leaderGauge.Set(0);
        using var electorStop = new CancellationTokenSource();
        var everLed = false;
        var stopped = Task.Delay(Timeout.Infinite, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            Term? term = null;
            using var elector = new LeaderElector(config);
            elector.OnStartedLeading += () =>
            {
                var lost = new CancellationTokenSource();
                state.IsLeader = true;
                everLed = true;
                leaderGauge.Set(1);
                LogStartedLeading(logger, identity.Identity, election.LeaseName);
                Volatile.Write(ref term, new Term(lost, Task.Run(() => RunTermAsync(lost.Token, stoppingToken), CancellationToken.None)));
            };
            elector.OnStoppedLeading += () =>
            {
                state.IsLeader = false;
                leaderGauge.Set(0);
                Volatile.Read(ref term)?.Lost.Cancel();
                LogStoppedLeading(logger, identity.Identity);
            };
            elector.OnNewLeader += leader => LogNewLeader(logger, leader ?? string.Empty);
            elector.OnError += ex => LogElectionError(logger, ex);

            var electing = elector.RunUntilLeadershipLostAsync(electorStop.Token);
            await Task.WhenAny(electing, stopped).ConfigureAwait(false);
            if (stoppingToken.IsCancellationRequested)
            {
                // Graceful: the term drains (intake stopped, in-flight work within the timeout), then we stop renewing.
                await AwaitTermAsync(Volatile.Read(ref term)).ConfigureAwait(false);
                await electorStop.CancelAsync().ConfigureAwait(false);
                await ObserveAsync(electing).ConfigureAwait(false);
                state.IsLeader = false;
                leaderGauge.Set(0);
                if (everLed && election.ReleaseOnShutdown)
                {
                    await ReleaseAsync().ConfigureAwait(false);
                }

                return;
            }

            // Leadership lost (or never won because the election failed): the term was cancelled; wait for it, then stand by again.
            Volatile.Read(ref term)?.Lost.Cancel();
            await AwaitTermAsync(Volatile.Read(ref term)).ConfigureAwait(false);
            await ObserveAsync(electing).ConfigureAwait(false);
            try
            {
                await Task.Delay(election.RetryPeriod, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task AwaitTermAsync(Term? term)
    {
        if (term is null)
        {
            return;
        }

        try
        {
            await term.Run.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogTermFailed(logger, ex);
        }
        catch (OperationCanceledException)
        {
            // Expected when the term is cancelled.
        }
        finally
        {
            term.Lost.Dispose();
        }
    }

    private async Task ObserveAsync(Task electing)
    {
        try
        {
            await electing.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }
        catch (Exception ex)
        {
            LogElectionError(logger, ex);
        }
    }

    private async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            if (await LeaseRelease.ReleaseAsync(kubernetes, identity.LeaseNamespace, options.LeaderElection.LeaseName, identity.Identity, timeout.Token)
                .ConfigureAwait(false))
            {
                LogReleased(logger, options.LeaderElection.LeaseName);
            }
        }
        catch (Exception ex)
        {
            LogReleaseFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for {Count} informer caches to sync")]
    private static partial void LogWaitingForSync(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Informer caches synced")]
    private static partial void LogSynced(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Leader election disabled: {Identity} reconciles alone; never run a second instance against this cluster")]
    private static partial void LogNoElection(ILogger logger, string identity);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} acquired Lease {Lease}; starting controllers")]
    private static partial void LogStartedLeading(ILogger logger, string identity, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity} stopped leading; in-flight reconciles cancelled, queues dropped")]
    private static partial void LogStoppedLeading(ILogger logger, string identity);

    [LoggerMessage(Level = LogLevel.Information, Message = "Current leader: {Leader}")]
    private static partial void LogNewLeader(ILogger logger, string leader);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Leader election attempt failed")]
    private static partial void LogElectionError(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A controller term failed")]
    private static partial void LogTermFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released Lease {Lease}")]
    private static partial void LogReleased(ILogger logger, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing the Lease failed; a standby takes over once it expires")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The operator runtime loop failed")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    private sealed record Term(CancellationTokenSource Lost, Task Run);
}
