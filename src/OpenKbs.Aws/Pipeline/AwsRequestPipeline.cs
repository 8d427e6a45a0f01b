using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Amazon;
using Amazon.Runtime.Signing;
using Microsoft.Extensions.Logging;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Protocols;
using OpenKbs.Aws.Regions;
using OpenKbs.Aws.Resilience;
using Polly.RateLimiting;
using Polly.Timeout;

namespace OpenKbs.Aws.Pipeline;

/// <summary>
/// The shared request pipeline of every hand-written client:
/// EU guard (before anything is sent) → endpoint → [retry → rate limit → timeout → sign (AWSSDK.Core SigV4) → HTTP → error parse]
/// → response codec → one audit record for mutating operations (with a durable journal: an intent record before sending, fail closed).
/// </summary>
internal sealed partial class AwsRequestPipeline(
    IHttpClientFactory httpClientFactory,
    AwsEndpointResolver endpoints,
    AwsRegionGuard guard,
    AwsResiliencePipelines resilience,
    AuditTrail auditTrail,
    ISourceAddressProvider sourceAddress,
    TimeProvider timeProvider,
    IEnumerable<IAwsCallObserver> observers,
    ILogger<AwsRequestPipeline> logger)
{
    private readonly IAwsCallObserver[] _observers = [.. observers];

    /// <summary>The name of the HttpClient every AWS call goes through (configure handlers on it for tests and chaos).</summary>
    public const string HttpClientName = "OpenKbs.Aws";

    private const string UserAgent = "openkbs-operator/0.1";

    /// <summary>Sends a hand-written client's request (encoded by a codec) and decodes the answer with <paramref name="read"/>.</summary>
    public Task<T> InvokeAsync<T>(
        AwsCallScope scope,
        AwsOperation operation,
        AwsWireRequest request,
        Func<AwsWireResponse, T> read,
        AuditEntry? audit,
        CancellationToken cancellationToken,
        IEnumerable<string?>? guardedArns = null,
        Func<T, string?>? resourceFromResult = null)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(read);
        return ExecuteAsync(
            scope,
            operation,
            audit,
            guardedArns,
            async (attempt, token) =>
            {
                var endpoint = endpoints.Resolve(operation.Service, scope.Region);
                var wire = await SendOnceAsync(scope, operation, request, endpoint, token);
                if (!wire.IsSuccess)
                {
                    throw ToException(operation, wire, attempt);
                }

                var requestId = wire.RequestIdHeader ?? (operation.Service.Protocol == AwsProtocol.AwsQuery ? QueryCodec.ReadRequestId(wire) : null);
                return (read(wire), requestId);
            },
            resourceFromResult,
            cancellationToken);
    }

    /// <summary>
    /// Runs a call of an official AWS SDK client (STS now; S3 and KMS next) through the same guard, retries, rate limits, error
    /// classification and audit trail. Configure the SDK client with <see cref="AwsSdkClientConfig"/> (retries off: Polly retries here).
    /// </summary>
    public Task<T> InvokeSdkAsync<T>(
        AwsCallScope scope,
        AwsOperation operation,
        Func<CancellationToken, Task<T>> call,
        AuditEntry? audit,
        CancellationToken cancellationToken,
        IEnumerable<string?>? guardedArns = null,
        Func<T, string?>? resourceFromResult = null)
        where T : Amazon.Runtime.AmazonWebServiceResponse
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(call);
        return ExecuteAsync(
            scope,
            operation,
            audit,
            guardedArns,
            async (attempt, token) =>
            {
                try
                {
                    var result = await call(token);
                    return (result, result.ResponseMetadata?.RequestId);
                }
                catch (Amazon.Runtime.AmazonServiceException ex)
                {
                    var code = string.IsNullOrEmpty(ex.ErrorCode) ? ((int)ex.StatusCode).ToString(CultureInfo.InvariantCulture) : AwsErrorParser.NormalizeCode(ex.ErrorCode);
                    throw new AwsServiceException(
                        operation.Service.SigningName,
                        operation.Name,
                        code,
                        ex.Message,
                        ex.StatusCode,
                        ex.RequestId,
                        AwsErrorCodes.Classify(operation.Service.SigningName, code, ex.StatusCode),
                        ex)
                    {
                        Attempts = attempt,
                    };
                }
                catch (Amazon.Runtime.AmazonClientException ex)
                {
                    throw new HttpRequestException(ex.Message, ex);
                }
            },
            resourceFromResult,
            cancellationToken);
    }

    private async Task<T> ExecuteAsync<T>(
        AwsCallScope scope,
        AwsOperation operation,
        AuditEntry? audit,
        IEnumerable<string?>? guardedArns,
        Func<int, CancellationToken, Task<(T Result, string? RequestId)>> attemptOnce,
        Func<T, string?>? resourceFromResult,
        CancellationToken cancellationToken)
    {
        audit ??= new AuditEntry(resource: null);
        try
        {
            guard.EnsureCallAllowed(operation.Service, scope.Region, operation.Name);
            guard.EnsureArnAllowed(audit.Resource, operation.Service.SigningName, operation.Name);
            foreach (var arn in guardedArns ?? [])
            {
                guard.EnsureArnAllowed(arn, operation.Service.SigningName, operation.Name);
            }
        }
        catch (RegionNotAllowedException refused)
        {
            LogRefused(logger, operation.Action, refused.Region);
            if (operation.Mutating)
            {
                await RecordAsync(scope, operation, audit, AuditOutcome.Refused, refused.ErrorCode, requestId: null, attempts: 0);
            }

            throw;
        }

        Observe(scope, operation, audit, guardedArns);

        // Write-ahead: a mutation is recorded (Pending) in the durable journal before it is sent; when that fails nothing is sent.
        var intent = operation.Mutating
            ? await auditTrail.BeginAsync(Record(scope, operation, audit, AuditOutcome.Pending, errorCode: null, requestId: null, attempts: 0), cancellationToken)
            : null;
        var pipeline = resilience.For(scope.AccountKey, operation);
        var attempts = 0;
        try
        {
            var (result, requestId) = await pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    return await attemptOnce(attempts, token);
                },
                cancellationToken);

            if (operation.Mutating)
            {
                audit.Resource = resourceFromResult?.Invoke(result) ?? audit.Resource;
                await RecordAsync(scope, operation, audit, AuditOutcome.Success, errorCode: null, requestId, attempts, intent);
            }

            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is AwsServiceException or HttpRequestException or TimeoutRejectedException or RateLimiterRejectedException
            or OperationCanceledException)
        {
            var failure = Translate(operation, ex, attempts);
            LogFailed(logger, operation.Action, failure.ErrorCode, failure.Classification, attempts);
            if (operation.Mutating)
            {
                await RecordAsync(scope, operation, audit, AuditOutcome.Failure, failure.ErrorCode, failure.RequestId, attempts, intent);
            }

            if (ReferenceEquals(failure, ex))
            {
                throw;
            }

            throw failure;
        }
    }

    private void Observe(AwsCallScope scope, AwsOperation operation, AuditEntry audit, IEnumerable<string?>? targets)
    {
        if (_observers.Length == 0)
        {
            return;
        }

        var call = new AwsCall
        {
            AccountId = scope.AccountId,
            Region = scope.Region,
            Action = operation.Action,
            IamActions = operation.IamActions,
            GlobalService = operation.Service.IsGlobal,
            Resource = audit.Resource,
            Targets = [.. (targets ?? []).OfType<string>().Where(t => t.Length > 0).Distinct(StringComparer.Ordinal)],
            Details = audit.Details,
            Actor = scope.Actor,
        };
        foreach (var observer in _observers)
        {
            observer.OnCall(call);
        }
    }

    private async Task<AwsWireResponse> SendOnceAsync(
        AwsCallScope scope,
        AwsOperation operation,
        AwsWireRequest request,
        AwsEndpoint endpoint,
        CancellationToken cancellationToken)
    {
        var uri = request.BuildUri(endpoint.BaseUri);
        var signing = new AWSSigningRequest { HttpMethod = request.Method, RequestUri = uri, Content = request.Body };
        if (request.ContentType is not null)
        {
            signing.Headers["Content-Type"] = request.ContentType;
        }

        foreach (var (name, value) in request.Headers)
        {
            signing.Headers[name] = value;
        }

        var credentials = await scope.Credentials(cancellationToken);
        var signed = await AWSSigV4Signer.SignAsync(
            signing,
            new AWSSigV4Parameters
            {
                Credentials = credentials,
                Region = RegionEndpoint.GetBySystemName(endpoint.SigningRegion),
                Service = endpoint.SigningName,
                SignPayload = true,
            },
            cancellationToken);

        using var message = new HttpRequestMessage(request.Method, uri);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
            }
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        foreach (var (name, value) in signed.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        message.Options.Set(AwsRequestOptions.Service, operation.Service.SigningName);
        message.Options.Set(AwsRequestOptions.Operation, operation.Name);
        message.Options.Set(AwsRequestOptions.Protocol, operation.Service.Protocol);

        var client = httpClientFactory.CreateClient(HttpClientName);
        using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return await AwsWireResponse.ReadAsync(response, cancellationToken);
    }

    private AwsServiceException ToException(AwsOperation operation, AwsWireResponse response, int attempts)
    {
        var error = AwsErrorParser.Parse(operation.Service.Protocol, response);
        var classification = AwsErrorCodes.Classify(operation.Service.SigningName, error.Code, response.StatusCode, error.Reason);
        return new AwsServiceException(
            operation.Service.SigningName,
            operation.Name,
            error.Code,
            error.Message,
            response.StatusCode,
            error.RequestId,
            classification)
        {
            Reason = error.Reason,
            RetryAfter = ParseRetryAfter(response.Header("Retry-After")),
            Attempts = attempts,
        };
    }

    private static AwsServiceException Translate(AwsOperation operation, Exception exception, int attempts)
    {
        var service = operation.Service.SigningName;
        return exception switch
        {
            AwsServiceException aws when aws.Attempts == attempts => aws,
            AwsServiceException aws => new AwsServiceException(service, operation.Name, aws.ErrorCode, aws.AwsMessage, aws.HttpStatus, aws.RequestId, aws.Classification, aws)
            {
                Reason = aws.Reason,
                RetryAfter = aws.RetryAfter,
                Attempts = attempts,
            },
            TimeoutRejectedException or OperationCanceledException => new AwsServiceException(
                service, operation.Name, "RequestTimeout", "The request timed out.", 0, null, AwsErrorClassification.Transient, exception)
            {
                Attempts = attempts,
            },
            RateLimiterRejectedException => new AwsServiceException(
                service, operation.Name, "ClientRateLimitExceeded", "Too many calls queued for the client-side rate limit.", 0, null,
                AwsErrorClassification.Throttling, exception)
            {
                Attempts = attempts,
            },
            _ => new AwsServiceException(
                service, operation.Name, "NetworkError", exception.Message, 0, null, AwsErrorClassification.Transient, exception)
            {
                Attempts = attempts,
            },
        };
    }

    private TimeSpan? ParseRetryAfter(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date - timeProvider.GetUtcNow() is var delta && delta > TimeSpan.Zero ? delta : TimeSpan.Zero
            : null;
    }

    private ValueTask RecordAsync(
        AwsCallScope scope, AwsOperation operation, AuditEntry audit, string outcome, string? errorCode, string? requestId, int attempts, long? intent = null) =>
        auditTrail.RecordAsync(Record(scope, operation, audit, outcome, errorCode, requestId, attempts), CancellationToken.None, intent);

    private AuditRecord Record(AwsCallScope scope, AwsOperation operation, AuditEntry audit, string outcome, string? errorCode, string? requestId, int attempts) =>
        new()
        {
            Time = timeProvider.GetUtcNow(),
            Action = operation.Action,
            Resource = audit.Resource,
            Details = audit.Details,
            Actor = scope.Actor,
            SourceIp = sourceAddress.SourceAddress,
            AccountId = scope.AccountId,
            Region = scope.Region,
            Outcome = outcome,
            ErrorCode = errorCode,
            RequestId = requestId,
            Attempts = attempts,
        };

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Refused {Action}: region {Region} is outside the EU allowlist; nothing was sent")]
    private static partial void LogRefused(ILogger logger, string action, string region);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Debug, Message = "{Action} failed with {ErrorCode} ({Classification}) after {Attempts} attempt(s)")]
    private static partial void LogFailed(ILogger logger, string action, string errorCode, AwsErrorClassification classification, int attempts);
}
