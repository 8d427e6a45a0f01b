using System.Text.RegularExpressions;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.ClientAccounts;
using OpenKbs.Controllers.Projects.Components.Schedules;
using OpenKbs.Controllers.Shared;
using AwsEuRegions = OpenKbs.Aws.Regions.EuRegions;

namespace OpenKbs.Controllers.Projects;

/// <summary>
/// The Project spec checks that must hold even when admission validation was bypassed (a server without the schema, an old
/// CRD), plus those the schema cannot make (the artifact bucket the operator may read, Lambda's 4 KB environment limit,
/// cron fields). Pure: the spec (and the platform bucket) in, the first violation out, with the field path and what to change.
/// Nothing is created for a refused spec.
/// </summary>
internal static partial class ProjectSpecRules
{
    /// <summary>Lambda's limit on the environment of one function (names plus values), in bytes.</summary>
    public const int LambdaEnvironmentLimit = 4096;

    /// <summary>What the operator's own variables (sealed API keys and their digests) may take of that limit.</summary>
    public const int ReservedEnvironmentBytes = 2560;

    public const int MaxFunctions = 20;
    public const int MaxSchedules = 50;
    public const int MaxApiKeys = 10;

    private static readonly HashSet<string> ReservedVariables = new(StringComparer.Ordinal)
    {
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
    };

    /// <summary>The first violation, or null when the spec is acceptable.</summary>
    public static SpecViolation? Check(ProjectSpec spec, string? platformBucket)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var functions = spec.Functions ?? [];
        var schedules = spec.Schedules ?? [];
        var keys = spec.ApiKeys ?? [];

        if (string.IsNullOrWhiteSpace(spec.ClientAccountRef?.Name))
        {
            return Invalid("spec.clientAccountRef.name: Required value: name a ClientAccount in this namespace");
        }

        if (string.IsNullOrEmpty(spec.Version) || spec.Version.Length > 64 || !VersionPattern().IsMatch(spec.Version))
        {
            return Invalid($"spec.version: Invalid value: \"{spec.Version}\": must be 1-64 of A-Za-z0-9._+- starting with a letter or digit");
        }

        if (functions.Count > MaxFunctions)
        {
            return Invalid($"spec.functions: Too many: {functions.Count}: must have at most {MaxFunctions} items");
        }

        if (Duplicate(functions.Select(f => f.Name)) is { } duplicateFunction)
        {
            return Invalid($"spec.functions[name=\"{duplicateFunction}\"]: Duplicate value: function names must be unique");
        }

        for (var i = 0; i < functions.Count; i++)
        {
            if (CheckFunction(functions[i], i) is { } violation)
            {
                return violation;
            }
        }

        if (functions.Count > 0 && spec.Source is null)
        {
            return Invalid("spec.source: Required value: source is required when the project has functions");
        }

        if (spec.Source is { } source)
        {
            if (!Sha256Pattern().IsMatch(source.Sha256 ?? string.Empty))
            {
                return Invalid($"spec.source.sha256: Invalid value: \"{source.Sha256}\": must be 64 lowercase hex characters (sha256sum output)");
            }

            if (platformBucket is not null && !string.Equals(source.S3?.Bucket, platformBucket, StringComparison.Ordinal))
            {
                return Invalid($"spec.source.s3.bucket: Invalid value: \"{source.S3?.Bucket}\": the operator reads artifacts only from the platform bucket \"{platformBucket}\"");
            }
        }

        if (spec.Storage?.NoncurrentVersionRetentionDays is { } retention && retention is < 1 or > 3650)
        {
            return Invalid($"spec.storage.noncurrentVersionRetentionDays: Invalid value: {retention}: must be between 1 and 3650");
        }

        // The CRD admits only PriceClass_100; an object stored before that rule (or written past admission) stops here
        // rather than adding edge locations outside Europe and North America (docs/residency.md).
        if (spec.Cdn?.PriceClass is { } priceClass && priceClass != CdnPriceClasses.PriceClass100)
        {
            return Invalid(
                $"spec.cdn.priceClass: Unsupported value: \"{priceClass}\": supported values: \"{CdnPriceClasses.PriceClass100}\" "
                + "(the narrowest class; the others serve from edge locations in Asia, Africa and South America)");
        }

        if (spec.Database is { } database && CheckDatabase(database) is { } databaseViolation)
        {
            return databaseViolation;
        }

        if (schedules.Count > MaxSchedules)
        {
            return Invalid($"spec.schedules: Too many: {schedules.Count}: must have at most {MaxSchedules} items");
        }

        if (Duplicate(schedules.Select(s => s.Name)) is { } duplicateSchedule)
        {
            return Invalid($"spec.schedules[name=\"{duplicateSchedule}\"]: Duplicate value: schedule names must be unique");
        }

        var functionNames = functions.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var schedule in schedules)
        {
            if (CheckSchedule(schedule, functionNames) is { } violation)
            {
                return violation;
            }
        }

        if (keys.Count > MaxApiKeys)
        {
            return Invalid($"spec.apiKeys: Too many: {keys.Count}: must have at most {MaxApiKeys} items");
        }

        if (Duplicate(keys.Select(k => k.Name)) is { } duplicateKey)
        {
            return Invalid($"spec.apiKeys[name=\"{duplicateKey}\"]: Duplicate value: API key names must be unique");
        }

        foreach (var key in keys)
        {
            if (!ShortNamePattern().IsMatch(key.Name ?? string.Empty))
            {
                return Invalid($"spec.apiKeys[name=\"{key.Name}\"].name: Invalid value: lowercase letters, digits and '-', starting with a letter, at most 32 characters");
            }

            if (key.Permissions is not { Count: >= 1 and <= 20 } || key.Permissions.Any(p => p.Length > 64 || !PermissionPattern().IsMatch(p)))
            {
                return Invalid($"spec.apiKeys[name=\"{key.Name}\"].permissions: Invalid value: 1 to 20 scopes such as orders:read or *, each at most 64 characters");
            }
        }

        return null;
    }

    private static SpecViolation? CheckFunction(FunctionSpec function, int index)
    {
        var path = $"spec.functions[name=\"{function.Name}\"]";
        if (!ShortNamePattern().IsMatch(function.Name ?? string.Empty))
        {
            return Invalid($"spec.functions[{index}].name: Invalid value: \"{function.Name}\": lowercase letters, digits and '-', starting with a letter, at most 32 characters");
        }

        if (string.IsNullOrWhiteSpace(function.Handler) || function.Handler.Length > 128 || function.Handler.Any(char.IsWhiteSpace))
        {
            return Invalid($"{path}.handler: Invalid value: \"{function.Handler}\": file.export within the artifact, e.g. api.handler");
        }

        if (function.Runtime is not (LambdaRuntimes.NodeJs24 or LambdaRuntimes.NodeJs22))
        {
            return Invalid($"{path}.runtime: Unsupported value: \"{function.Runtime}\": supported values: \"{LambdaRuntimes.NodeJs24}\", \"{LambdaRuntimes.NodeJs22}\"");
        }

        if (function.MemoryMb is { } memory && memory is < 128 or > 10240)
        {
            return Invalid($"{path}.memoryMb: Invalid value: {memory}: must be between 128 and 10240");
        }

        if (function.TimeoutSeconds is { } timeout && timeout is < 1 or > 900)
        {
            return Invalid($"{path}.timeoutSeconds: Invalid value: {timeout}: must be between 1 and 900");
        }

        var environment = function.Environment ?? new Dictionary<string, string>();
        if (environment.Keys.FirstOrDefault(IsReservedVariable) is { } reserved)
        {
            return Invalid($"{path}.environment: Invalid value: \"{reserved}\": the name is reserved (OPENKBS_*, AWS_LAMBDA_*, LAMBDA_*, names starting with '_', AWS_REGION, AWS credentials)");
        }

        var size = environment.Sum(e => System.Text.Encoding.UTF8.GetByteCount(e.Key) + System.Text.Encoding.UTF8.GetByteCount(e.Value ?? string.Empty));
        if (size > LambdaEnvironmentLimit - ReservedEnvironmentBytes)
        {
            return Invalid($"{path}.environment: Too long: {size} bytes: Lambda allows {LambdaEnvironmentLimit} bytes per function and the operator needs {ReservedEnvironmentBytes} of them for sealed settings; keep names and values under {LambdaEnvironmentLimit - ReservedEnvironmentBytes} bytes");
        }

        return null;
    }

    private static SpecViolation? CheckDatabase(DatabaseSpec database)
    {
        if (database.BackupRetentionDays is { } retention && retention is < 1 or > 35)
        {
            return Invalid($"spec.database.backupRetentionDays: Invalid value: {retention}: must be between 1 and 35 (Aurora's point-in-time recovery window)");
        }

        if (database.MinCapacity is { } min && (min is < 0 or > 256 || min % 0.5 != 0))
        {
            return Invalid($"spec.database.minCapacity: Invalid value: {min}: must be 0 to 256 in steps of 0.5");
        }

        if (database.MaxCapacity is { } max && (max is < 1 or > 256 || max % 0.5 != 0))
        {
            return Invalid($"spec.database.maxCapacity: Invalid value: {max}: must be 1 to 256 in steps of 0.5");
        }

        if ((database.MinCapacity ?? 0.5) > (database.MaxCapacity ?? 2))
        {
            return Invalid($"spec.database.minCapacity: Invalid value: {database.MinCapacity ?? 0.5}: minCapacity must not exceed maxCapacity ({database.MaxCapacity ?? 2})");
        }

        return null;
    }

    private static SpecViolation? CheckSchedule(ScheduleSpec schedule, HashSet<string> functions)
    {
        var path = $"spec.schedules[name=\"{schedule.Name}\"]";
        if (!ShortNamePattern().IsMatch(schedule.Name ?? string.Empty))
        {
            return Invalid($"{path}.name: Invalid value: lowercase letters, digits and '-', starting with a letter, at most 32 characters");
        }

        if (!functions.Contains(schedule.Function ?? string.Empty))
        {
            return Invalid($"{path}.function: Not found: \"{schedule.Function}\": every schedule's function must be the name of a function in spec.functions");
        }

        if (ScheduleExpressions.Check(schedule.Expression) is { } problem)
        {
            return Invalid($"{path}.expression: Invalid value: \"{schedule.Expression}\": {problem}");
        }

        if (schedule.Timezone is { } zone && !TimeZonePattern().IsMatch(zone))
        {
            return Invalid($"{path}.timezone: Invalid value: \"{zone}\": an IANA time zone such as Europe/Berlin");
        }

        return null;
    }

    /// <summary>The ClientAccount's home region must be an EU member-state region the operator allows.</summary>
    public static SpecViolation? CheckRegion(string region, IReadOnlyCollection<string> operatorAllowedRegions)
    {
        ArgumentNullException.ThrowIfNull(operatorAllowedRegions);
        if (!AwsEuRegions.IsMemberStateRegion(region) || !operatorAllowedRegions.Contains(region, StringComparer.Ordinal))
        {
            return new(ConditionReasons.TerminalRegionNotAllowed,
                $"the ClientAccount's region '{region}' is not an allowed AWS region in an EU member state ({string.Join(", ", operatorAllowedRegions)}); nothing was created");
        }

        return null;
    }

    private static bool IsReservedVariable(string name) =>
        name.StartsWith("OPENKBS_", StringComparison.Ordinal) || name.StartsWith("AWS_LAMBDA_", StringComparison.Ordinal)
        || name.StartsWith("LAMBDA_", StringComparison.Ordinal) || name.StartsWith('_') || ReservedVariables.Contains(name) || name.Length > 128;

    private static string? Duplicate(IEnumerable<string> names) =>
        names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;

    private static SpecViolation Invalid(string message) => new(ConditionReasons.TerminalInvalidSpec, message + "; nothing was created or changed");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+-]*$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex("^[a-f0-9]{64}$")]
    private static partial Regex Sha256Pattern();

    [GeneratedRegex("^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$")]
    private static partial Regex ShortNamePattern();

    [GeneratedRegex("^[A-Za-z0-9*][A-Za-z0-9*:._/-]*$")]
    private static partial Regex PermissionPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$")]
    private static partial Regex TimeZonePattern();
}
