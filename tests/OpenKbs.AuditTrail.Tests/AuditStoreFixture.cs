using System.Globalization;
using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenKbs.Aws;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Credentials;
using OpenKbs.Testing.Moto;
using OpenKbs.Testing.Postgres;

namespace OpenKbs.AuditTrail.Tests;

/// <summary>One throwaway PostgreSQL cluster for the test run, with the operator's login role; each test takes a fresh database.</summary>
public sealed class AuditStoreFixture : IAsyncLifetime
{
    /// <summary>The operator's role: granted only USAGE, SELECT and INSERT by the migration.</summary>
    public const string OperatorRole = "openkbs_operator";

    private int _databases;

    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await PostgresServer.CreateAsync();
        await Server.PsqlAsync($"CREATE ROLE {OperatorRole} LOGIN");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A new empty database; returns the options of a store on it (operator role, migrations as the superuser).</summary>
    public async Task<AuditStoreOptions> NewStoreAsync(int retentionDays = 400)
    {
        var database = string.Create(CultureInfo.InvariantCulture, $"audit_{Interlocked.Increment(ref _databases)}");
        await Server.PsqlAsync($"CREATE DATABASE {database}");
        return new AuditStoreOptions
        {
            ConnectionString = Server.ConnectionString(database, OperatorRole),
            MigrationConnectionString = Server.ConnectionString(database),
            OperatorIdentity = "system:serviceaccount:openkbs-system:openkbs-operator",
            RetentionDays = retentionDays,
            TimeoutSeconds = 2,
        };
    }

    /// <summary>The operator's AWS layer and audit store wiring: moto at <paramref name="motoEndpoint"/>, <paramref name="probe"/> sees every request leave.</summary>
    public static ServiceProvider Services(AuditStoreOptions options, Uri motoEndpoint, DelegatingHandler probe) => Services(options, motoEndpoint, probe, settings: null);

    /// <summary>As above, with more settings (e.g. <c>AuditStore:AnchorBucket</c>).</summary>
    public static ServiceProvider Services(AuditStoreOptions options, Uri motoEndpoint, DelegatingHandler probe, IReadOnlyDictionary<string, string?>? settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IManagementCredentials>(new StaticManagementCredentials(new BasicAWSCredentials("AKIAAUDITTEST0000001", "audit-test-secret")));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AuditStore:ConnectionString"] = options.ConnectionString,
            ["AuditStore:MigrationConnectionString"] = options.MigrationConnectionString,
            ["AuditStore:TimeoutSeconds"] = "2",
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        services.AddOpenKbsAuditStore(configuration);
        services.AddOpenKbsAws(o =>
        {
            o.EndpointUrl = motoEndpoint;
            o.UseEnvironmentEndpoints = false;
            o.SourceAddress = "10.0.0.7";
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(5);
            o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(50);
        }).AddHttpMessageHandler(() => probe);
        return services.BuildServiceProvider();
    }

    public static PostgresAuditJournal Journal(AuditStoreOptions options) => new(Options.Create(options), NullLogger<PostgresAuditJournal>.Instance);

    public static AuditRecord Record(string action, string outcome = AuditOutcome.Pending, string @namespace = "tenants", int n = 0) => new()
    {
        Time = DateTimeOffset.UtcNow,
        Action = action,
        Resource = string.Create(CultureInfo.InvariantCulture, $"arn:aws:s3:::bucket-{n}"),
        Details = AuditDetails.Empty.Add("bucket", string.Create(CultureInfo.InvariantCulture, $"bucket-{n}")).Add("password", "must-not-appear"),
        Actor = new AwsActor
        {
            Controller = "Project",
            Namespace = @namespace,
            Kind = "Project",
            Name = "shop",
            Uid = "uid-shop",
            SpecManager = "kubectl-client-side-apply",
            SpecChangedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        },
        SourceIp = "10.0.0.7",
        AccountId = "123456789012",
        Region = "eu-central-1",
        Outcome = outcome,
        Attempts = outcome == AuditOutcome.Pending ? 0 : 1,
    };
}

[CollectionDefinition(Name)]
public sealed class AuditStoreCollection : ICollectionFixture<AuditStoreFixture>, ICollectionFixture<MotoServerFixture>
{
    public const string Name = "audit-store";
}
