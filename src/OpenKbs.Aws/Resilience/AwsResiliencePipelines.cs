using System.Collections.Concurrent;
using System.Net.Http;
using Microsoft.Extensions.Options;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Pipeline;
using Polly;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace OpenKbs.Aws.Resilience;

/// <summary>
/// Builds and caches one Polly pipeline per (account, service, family, retry mode): retry (jittered exponential backoff, Retry-After
/// honoured, bounded attempts) around a token-bucket rate limiter shared by the (account, service, family), urgent calls first
/// (<see cref="AwsPriority"/>), around a per-attempt timeout.
/// </summary>
internal sealed class AwsResiliencePipelines(IOptions<AwsOptions> options, TimeProvider timeProvider, Random random) : IDisposable
{
    private readonly AwsResilienceOptions _options = options.Value.Resilience;
    private readonly ConcurrentDictionary<(string Account, string Service, string Family), PriorityTokenBucket> _limiters = new();
    private readonly ConcurrentDictionary<(string Account, string Service, string Family, AwsRetryMode Mode), ResiliencePipeline> _pipelines = new();

    public ResiliencePipeline For(string accountKey, AwsOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return _pipelines.GetOrAdd(
            (accountKey, operation.Service.SigningName, operation.Family, operation.Retry),
            key => Build(key.Account, key.Service, key.Family, key.Mode));
    }

    /// <summary>Whether the pipeline may retry after <paramref name="exception"/> for an operation of <paramref name="mode"/>.</summary>
    public static bool ShouldRetry(Exception? exception, AwsRetryMode mode) => exception switch
    {
        AwsServiceException aws => aws.Classification == AwsErrorClassification.Throttling
            || (mode == AwsRetryMode.Standard && aws.Classification == AwsErrorClassification.Transient),
        HttpRequestException or TimeoutRejectedException => mode == AwsRetryMode.Standard,
        _ => false,
    };

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }

    private ResiliencePipeline Build(string account, string service, string family, AwsRetryMode mode)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider, Name = $"aws:{service}:{family}:{account}" };
        builder.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(_options.MaxRetryAttempts, 1),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Randomizer = random.NextDouble,
            Delay = _options.BaseDelay,
            MaxDelay = _options.MaxDelay,
            ShouldHandle = args => ValueTask.FromResult(_options.MaxRetryAttempts > 0 && ShouldRetry(args.Outcome.Exception, mode)),
            DelayGenerator = args => ValueTask.FromResult(
                args.Outcome.Exception is AwsServiceException { RetryAfter: { } retryAfter }
                    ? (TimeSpan?)(retryAfter > _options.MaxDelay ? _options.MaxDelay : retryAfter)
                    : null),
        });

        if (_options.EnableRateLimits && AwsRateLimits.Find(service, family) is { } limit)
        {
            var limiter = _limiters.GetOrAdd((account, service, limit.Family), _ => CreateLimiter(limit));
            builder.AddRateLimiter(new RateLimiterStrategyOptions
            {
                // The caller's ambient priority (AwsPriority.Urgent) orders the waiters; the rate is the same.
                RateLimiter = args => limiter.AcquireAsync(AwsPriority.Current, args.Context.CancellationToken),
            });
        }

        builder.AddTimeout(_options.AttemptTimeout);
        return builder.Build();
    }

    private PriorityTokenBucket CreateLimiter(AwsRateLimit limit) =>
        new(limit.RequestsPerSecond, limit.Burst, _options.RateLimitQueueLimit, timeProvider);
}
