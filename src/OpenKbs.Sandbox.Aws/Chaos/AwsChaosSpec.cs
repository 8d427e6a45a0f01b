using System.Globalization;
using System.Text;

namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>
/// What the chaos layer does: fault rates (seeded, repeatable), which calls they hit, and the realism
/// state machines. Parsed from the <c>--aws-chaos</c> text, e.g.
/// <c>throttle=0.2,error=0.05,latency=50ms,reset=0.01,timeout=0.01,seed=42,realism=on</c>
/// (see docs/aws-chaos.md for the grammar).
/// </summary>
public sealed record AwsChaosSpec
{
    private static readonly string[] KnownServiceNames =
    [
        "organizations", "account", "sts", "iam", "lambda", "s3", "rds", "cloudfront", "scheduler", "events", "monitoring", "kms", "ce",
    ];

    /// <summary>No faults, no realism; the Account primary-email API is still served.</summary>
    public static AwsChaosSpec None { get; } = new();

    /// <summary>Probability that a call gets the service's throttling error.</summary>
    public double Throttle { get; init; }

    /// <summary>Probability of a 5xx (half 500 with the service's internal-error code, half 503 ServiceUnavailable).</summary>
    public double Error { get; init; }

    /// <summary>Probability that the connection is dropped without an answer.</summary>
    public double Reset { get; init; }

    /// <summary>Probability that the call hangs until the client gives up.</summary>
    public double Timeout { get; init; }

    /// <summary>Added latency for every matching call: the lower bound of the range.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Upper bound of the latency range (equal to <see cref="Latency"/> for a fixed latency).</summary>
    public TimeSpan LatencyMax { get; init; }

    /// <summary>Share of 5xx, reset and timeout faults injected after moto has processed the call (the effect happened, the answer is lost).</summary>
    public double After { get; init; }

    /// <summary>How long a timeout fault hangs at most before dropping the connection.</summary>
    public TimeSpan Hang { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Seed of every random draw; the same seed gives the same fault sequence for the same calls.</summary>
    public ulong Seed { get; init; }

    /// <summary>Signing names (<c>lambda</c>, <c>organizations</c>, ...) whose calls get faults; empty means all.</summary>
    public IReadOnlySet<string> Services { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Operation names (<c>CreateAccount</c>, <c>UpdateFunctionCode</c>, ...) that get faults; empty means all.</summary>
    public IReadOnlySet<string> Operations { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Whether the realism state machines run (Organizations, Lambda, CloudFront, RDS).</summary>
    public bool Realism { get; init; }

    /// <summary>The realism knobs.</summary>
    public AwsRealismOptions RealismOptions { get; init; } = new();

    /// <summary>Whether the Account primary-email API (which moto lacks) is served. On by default.</summary>
    public bool AccountApi { get; init; } = true;

    /// <summary>
    /// Whether S3 bucket policies are evaluated as behind AWS's TLS endpoint (<c>aws:SecureTransport</c> true; moto cannot
    /// evaluate conditions and would deny every object call under a TLS-only policy). On by default, realism or not.
    /// </summary>
    public bool S3TlsEndpoint { get; init; } = true;

    /// <summary>A fixed one-time password for AcceptPrimaryEmailUpdate; null draws a random one per request.</summary>
    public string? Otp { get; init; }

    /// <summary>How long a one-time password of StartPrimaryEmailUpdate stays valid (AWS does not document it); zero: for ever.</summary>
    public TimeSpan OtpTtl { get; init; } = DefaultOtpTtl;

    /// <summary>The default of <see cref="OtpTtl"/>.</summary>
    public static TimeSpan DefaultOtpTtl => TimeSpan.FromHours(1);

    /// <summary>True when any fault rate or latency is set.</summary>
    public bool HasFaults => Throttle + Error + Reset + Timeout > 0 || LatencyMax > TimeSpan.Zero;

    /// <summary>True when faults may hit a call to <paramref name="service"/> / <paramref name="operation"/>.</summary>
    public bool Targets(string service, string operation) =>
        (Services.Count == 0 || Services.Contains(service)) && (Operations.Count == 0 || Operations.Contains(operation));

    /// <summary>Parses the spec text. Empty, <c>off</c> and <c>none</c> give <see cref="None"/>.</summary>
    /// <exception cref="FormatException">Unknown key, bad value, repeated key, or rates that add up to more than 1.</exception>
    public static AwsChaosSpec Parse(string? text)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0 || trimmed is "off" or "none")
        {
            return None;
        }

        var spec = new AwsChaosSpec();
        var realism = new AwsRealismOptions();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in trimmed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = raw.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"--aws-chaos: '{raw}' is not key=value. Known keys: {string.Join(", ", AwsChaosSpecKeys.All)}.");
            }

            var key = raw[..equals].Trim().ToLowerInvariant();
            var value = raw[(equals + 1)..].Trim();
            if (!AwsChaosSpecKeys.All.Contains(key))
            {
                throw new FormatException($"--aws-chaos: unknown key '{key}'. Known keys: {string.Join(", ", AwsChaosSpecKeys.All)}.");
            }

            if (!seen.Add(key))
            {
                throw new FormatException($"--aws-chaos: key '{key}' is given twice.");
            }

            switch (key)
            {
                case AwsChaosSpecKeys.Throttle: spec = spec with { Throttle = Probability(key, value) }; break;
                case AwsChaosSpecKeys.Error: spec = spec with { Error = Probability(key, value) }; break;
                case AwsChaosSpecKeys.Reset: spec = spec with { Reset = Probability(key, value) }; break;
                case AwsChaosSpecKeys.Timeout: spec = spec with { Timeout = Probability(key, value) }; break;
                case AwsChaosSpecKeys.After: spec = spec with { After = Probability(key, value) }; break;
                case AwsChaosSpecKeys.Latency:
                    var range = value.Split("..", 2);
                    var low = Duration(key, range[0]);
                    var high = range.Length == 2 ? Duration(key, range[1]) : low;
                    if (high < low)
                    {
                        throw new FormatException($"--aws-chaos: latency range '{value}' ends before it starts.");
                    }

                    spec = spec with { Latency = low, LatencyMax = high };
                    break;
                case AwsChaosSpecKeys.Hang: spec = spec with { Hang = Duration(key, value) }; break;
                case AwsChaosSpecKeys.Seed:
                    spec = spec with
                    {
                        Seed = ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
                            ? seed
                            : throw new FormatException($"--aws-chaos: seed '{value}' is not a non-negative integer."),
                    };
                    break;
                case AwsChaosSpecKeys.Services: spec = spec with { Services = Names(key, value, KnownServiceNames) }; break;
                case AwsChaosSpecKeys.Operations: spec = spec with { Operations = Names(key, value, known: null) }; break;
                case AwsChaosSpecKeys.Realism: spec = spec with { Realism = Switch(key, value) }; break;
                case AwsChaosSpecKeys.AccountApi: spec = spec with { AccountApi = Switch(key, value) }; break;
                case AwsChaosSpecKeys.S3Tls: spec = spec with { S3TlsEndpoint = Switch(key, value) }; break;
                case AwsChaosSpecKeys.Otp:
                    spec = spec with
                    {
                        Otp = value.Length == 6 && value.All(char.IsAsciiLetterOrDigit)
                            ? value
                            : throw new FormatException($"--aws-chaos: otp '{value}' must be 6 letters or digits."),
                    };
                    break;
                case AwsChaosSpecKeys.OtpTtl: spec = spec with { OtpTtl = Duration(key, value) }; break;
                case AwsChaosSpecKeys.OrgPolls: realism = realism with { CreateAccountPolls = Count(key, value) }; break;
                case AwsChaosSpecKeys.OrgDelay: realism = realism with { CreateAccountDelay = Duration(key, value) }; break;
                case AwsChaosSpecKeys.OrgInFlight: realism = realism with { MaxCreateAccountsInFlight = Count(key, value) }; break;
                case AwsChaosSpecKeys.ClosePolls: realism = realism with { CloseAccountPolls = Count(key, value) }; break;
                case AwsChaosSpecKeys.CloseDelay: realism = realism with { CloseAccountDelay = Duration(key, value) }; break;
                case AwsChaosSpecKeys.EmptyPages: realism = realism with { EmptyPageRate = Probability(key, value) }; break;
                case AwsChaosSpecKeys.LambdaPolls: realism = realism with { LambdaPolls = Count(key, value) }; break;
                case AwsChaosSpecKeys.LambdaDelay: realism = realism with { LambdaDelay = Duration(key, value) }; break;
                case AwsChaosSpecKeys.CloudFrontPolls: realism = realism with { CloudFrontPolls = Count(key, value) }; break;
                case AwsChaosSpecKeys.CloudFrontDelay: realism = realism with { CloudFrontDelay = Duration(key, value) }; break;
                case AwsChaosSpecKeys.RdsPolls: realism = realism with { RdsPolls = Count(key, value) }; break;
                case AwsChaosSpecKeys.RdsDelay: realism = realism with { RdsDelay = Duration(key, value) }; break;
                default: throw new FormatException($"--aws-chaos: key '{key}' is not handled.");
            }
        }

        var total = spec.Throttle + spec.Error + spec.Reset + spec.Timeout;
        if (total > 1.0 + 1e-9)
        {
            throw new FormatException($"--aws-chaos: throttle+error+reset+timeout add up to {total.ToString(CultureInfo.InvariantCulture)}, more than 1.");
        }

        return spec with { RealismOptions = realism };
    }

    /// <summary>The canonical spec text (every key that differs from the default), parseable by <see cref="Parse"/>.</summary>
    public override string ToString()
    {
        var defaults = new AwsChaosSpec();
        var realismDefaults = new AwsRealismOptions();
        var parts = new List<string>();
        void Add(bool differs, string key, string value)
        {
            if (differs)
            {
                parts.Add(key + "=" + value);
            }
        }

        Add(Throttle != 0, AwsChaosSpecKeys.Throttle, Number(Throttle));
        Add(Error != 0, AwsChaosSpecKeys.Error, Number(Error));
        Add(Reset != 0, AwsChaosSpecKeys.Reset, Number(Reset));
        Add(Timeout != 0, AwsChaosSpecKeys.Timeout, Number(Timeout));
        Add(LatencyMax != TimeSpan.Zero, AwsChaosSpecKeys.Latency, Latency == LatencyMax ? Format(Latency) : Format(Latency) + ".." + Format(LatencyMax));
        Add(After != 0, AwsChaosSpecKeys.After, Number(After));
        Add(Hang != defaults.Hang, AwsChaosSpecKeys.Hang, Format(Hang));
        Add(Seed != 0, AwsChaosSpecKeys.Seed, Seed.ToString(CultureInfo.InvariantCulture));
        Add(Services.Count > 0, AwsChaosSpecKeys.Services, string.Join('+', Services.Order(StringComparer.Ordinal)));
        Add(Operations.Count > 0, AwsChaosSpecKeys.Operations, string.Join('+', Operations.Order(StringComparer.Ordinal)));
        Add(Realism, AwsChaosSpecKeys.Realism, "on");
        Add(!AccountApi, AwsChaosSpecKeys.AccountApi, "off");
        Add(!S3TlsEndpoint, AwsChaosSpecKeys.S3Tls, "off");
        Add(Otp is not null, AwsChaosSpecKeys.Otp, Otp ?? string.Empty);
        Add(OtpTtl != defaults.OtpTtl, AwsChaosSpecKeys.OtpTtl, Format(OtpTtl));
        var r = RealismOptions;
        Add(r.CreateAccountPolls != realismDefaults.CreateAccountPolls, AwsChaosSpecKeys.OrgPolls, Int(r.CreateAccountPolls));
        Add(r.CreateAccountDelay != realismDefaults.CreateAccountDelay, AwsChaosSpecKeys.OrgDelay, Format(r.CreateAccountDelay));
        Add(r.MaxCreateAccountsInFlight != realismDefaults.MaxCreateAccountsInFlight, AwsChaosSpecKeys.OrgInFlight, Int(r.MaxCreateAccountsInFlight));
        Add(r.CloseAccountPolls != realismDefaults.CloseAccountPolls, AwsChaosSpecKeys.ClosePolls, Int(r.CloseAccountPolls));
        Add(r.CloseAccountDelay != realismDefaults.CloseAccountDelay, AwsChaosSpecKeys.CloseDelay, Format(r.CloseAccountDelay));
        Add(r.EmptyPageRate != realismDefaults.EmptyPageRate, AwsChaosSpecKeys.EmptyPages, Number(r.EmptyPageRate));
        Add(r.LambdaPolls != realismDefaults.LambdaPolls, AwsChaosSpecKeys.LambdaPolls, Int(r.LambdaPolls));
        Add(r.LambdaDelay != realismDefaults.LambdaDelay, AwsChaosSpecKeys.LambdaDelay, Format(r.LambdaDelay));
        Add(r.CloudFrontPolls != realismDefaults.CloudFrontPolls, AwsChaosSpecKeys.CloudFrontPolls, Int(r.CloudFrontPolls));
        Add(r.CloudFrontDelay != realismDefaults.CloudFrontDelay, AwsChaosSpecKeys.CloudFrontDelay, Format(r.CloudFrontDelay));
        Add(r.RdsPolls != realismDefaults.RdsPolls, AwsChaosSpecKeys.RdsPolls, Int(r.RdsPolls));
        Add(r.RdsDelay != realismDefaults.RdsDelay, AwsChaosSpecKeys.RdsDelay, Format(r.RdsDelay));
        return parts.Count == 0 ? "off" : string.Join(',', parts);
    }

    private static double Probability(string key, string value)
    {
        var percent = value.EndsWith('%');
        var number = percent ? value[..^1] : value;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p))
        {
            throw new FormatException($"--aws-chaos: {key}='{value}' is not a probability (0..1, or a percentage like 20%).");
        }

        p = percent ? p / 100 : p;
        return p is >= 0 and <= 1 ? p : throw new FormatException($"--aws-chaos: {key}='{value}' is outside 0..1.");
    }

    private static int Count(string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"--aws-chaos: {key}='{value}' is not a non-negative integer.");

    private static bool Switch(string key, string value) => value.ToLowerInvariant() switch
    {
        "on" or "true" or "1" or "yes" => true,
        "off" or "false" or "0" or "no" => false,
        _ => throw new FormatException($"--aws-chaos: {key}='{value}' must be on or off."),
    };

    /// <summary>Durations: <c>0</c>, <c>250ms</c>, <c>2s</c>, <c>1.5s</c>, <c>3m</c>.</summary>
    internal static TimeSpan Duration(string key, string value)
    {
        var v = value.Trim();
        if (v == "0")
        {
            return TimeSpan.Zero;
        }

        (string number, double scale) = v.EndsWith("ms", StringComparison.Ordinal) ? (v[..^2], 1.0)
            : v.EndsWith('s') ? (v[..^1], 1000.0)
            : v.EndsWith('m') ? (v[..^1], 60_000.0)
            : (string.Empty, 0.0);
        if (scale == 0 || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            throw new FormatException($"--aws-chaos: {key}='{value}' is not a duration (e.g. 50ms, 2s, 1m).");
        }

        return TimeSpan.FromMilliseconds(amount * scale);
    }

    private static HashSet<string> Names(string key, string value, string[]? known)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in value.Split(['+', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (known is not null && !known.Contains(name))
            {
                throw new FormatException($"--aws-chaos: {key}: unknown service '{name}'. Known: {string.Join(", ", known)}.");
            }

            if (known is null && !name.All(char.IsAsciiLetterOrDigit))
            {
                throw new FormatException($"--aws-chaos: {key}: '{name}' is not an operation name like CreateAccount.");
            }

            names.Add(name);
        }

        return names.Count > 0 ? names : throw new FormatException($"--aws-chaos: {key} needs at least one name (separate names with +).");
    }

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Format(TimeSpan value)
    {
        var ms = value.TotalMilliseconds;
        var builder = new StringBuilder();
        if (ms == 0)
        {
            return "0";
        }

        if (ms % 60_000 == 0)
        {
            return builder.Append((ms / 60_000).ToString(CultureInfo.InvariantCulture)).Append('m').ToString();
        }

        return ms % 1000 == 0
            ? builder.Append((ms / 1000).ToString(CultureInfo.InvariantCulture)).Append('s').ToString()
            : builder.Append(ms.ToString("0.###", CultureInfo.InvariantCulture)).Append("ms").ToString();
    }
}
