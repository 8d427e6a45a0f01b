using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace OpenKbs.Operator.Hosting;

/// <summary>
/// Builds <see cref="OperatorOptions"/> from, in increasing precedence: defaults, a config file (JSON or YAML with the
/// camelCase keys below), <c>OPENKBS_*</c> environment variables, and command-line flags.
/// </summary>
internal static class OperatorSettings
{
    /// <summary>Every setting: its config-file key, its flag and its environment variable.</summary>
    public static readonly IReadOnlyList<Setting> All =
    [
        new("kubeconfig", "--kubeconfig", "Path to a kubeconfig (default: in-cluster, then $KUBECONFIG or ~/.kube/config)."),
        new("namespaces", "--namespace", "Namespace to watch; repeat for several (default: all namespaces).", Repeatable: true),
        new("labelSelector", "--label-selector", "Only reconcile objects matching this label selector (sharding)."),
        new("metricsBindAddress", "--metrics-bind-address", "Where /metrics listens: host:port, :port, port 0 for a free port, 0 to disable (default :8080)."),
        new("healthProbeBindAddress", "--health-probe-bind-address", "Where /healthz and /readyz listen (default :8081)."),
        new("leaderElect", "--leader-elect", "Elect a leader through a Lease before reconciling (default true)."),
        new("leaderElectionNamespace", "--leader-election-namespace", "Namespace of the Lease (default: the pod's namespace, else default)."),
        new("leaderElectionId", "--leader-election-id", "Name of the Lease (default openkbs-operator)."),
        new("leaderElectionIdentity", "--leader-election-identity", "Holder identity (default: hostname plus a random suffix)."),
        new("leaseDuration", "--lease-duration", "Lease duration (default 15s)."),
        new("renewDeadline", "--renew-deadline", "Renew deadline (default 10s)."),
        new("retryPeriod", "--retry-period", "Leader election retry period (default 2s)."),
        new("resyncInterval", "--resync-interval", "Drift check after a successful reconcile, jittered ±10% (default 10m)."),
        new("terminalRecheckInterval", "--terminal-recheck-interval", "Slow re-check of objects in a terminal state (default 30m)."),
        new("maxConcurrentReconciles", "--max-concurrent-reconciles", "Workers per kind (default 4)."),
        new("backoffCap", "--backoff-cap", "Longest retry delay after transient failures (default 5m)."),
        new("shutdownTimeout", "--shutdown-timeout", "Time in-flight reconciles get to finish on shutdown (default 30s)."),
        new("logLevel", "--log-level", "Trace, Debug, Information, Warning, Error or Critical (default Information)."),
        new("logFormat", "--log-format", "json (default) or text."),
    ];

    /// <summary>Merges the sources and parses the result. Throws <see cref="FormatException"/> with the offending key on bad values.</summary>
    public static OperatorOptions Load(
        string? configFile,
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyDictionary<string, IReadOnlyList<string>> flags)
    {
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(configFile))
        {
            foreach (var (key, value) in ReadFile(configFile))
            {
                values[Known(key, configFile)] = value;
            }
        }

        foreach (var setting in All)
        {
            if (environment.TryGetValue(setting.EnvironmentVariable, out var env) && !string.IsNullOrWhiteSpace(env))
            {
                values[setting.Key] = setting.Repeatable ? Split(env) : [env];
            }

            if (flags.TryGetValue(setting.Key, out var flag) && flag.Count > 0)
            {
                values[setting.Key] = flag;
            }
        }

        string? One(string key) => values.TryGetValue(key, out var v) && v.Count > 0 ? v[^1] : null;
        var defaults = new OperatorOptions();
        return new OperatorOptions
        {
            KubeconfigPath = One("kubeconfig"),
            Namespaces = values.TryGetValue("namespaces", out var ns) ? ns.SelectMany(Split).Distinct(StringComparer.Ordinal).ToList() : [],
            LabelSelector = One("labelSelector"),
            MetricsBindAddress = One("metricsBindAddress") ?? defaults.MetricsBindAddress,
            HealthProbeBindAddress = One("healthProbeBindAddress") ?? defaults.HealthProbeBindAddress,
            LeaderElect = One("leaderElect") is { } elect ? ParseBool("leaderElect", elect) : defaults.LeaderElect,
            LeaderElectionNamespace = One("leaderElectionNamespace"),
            LeaderElectionId = One("leaderElectionId") ?? defaults.LeaderElectionId,
            LeaderElectionIdentity = One("leaderElectionIdentity"),
            LeaseDuration = Duration("leaseDuration", One("leaseDuration")) ?? defaults.LeaseDuration,
            RenewDeadline = Duration("renewDeadline", One("renewDeadline")) ?? defaults.RenewDeadline,
            RetryPeriod = Duration("retryPeriod", One("retryPeriod")) ?? defaults.RetryPeriod,
            ResyncInterval = Duration("resyncInterval", One("resyncInterval")) ?? defaults.ResyncInterval,
            TerminalRecheckInterval = Duration("terminalRecheckInterval", One("terminalRecheckInterval")) ?? defaults.TerminalRecheckInterval,
            MaxConcurrentReconciles = One("maxConcurrentReconciles") is { } workers ? ParseInt("maxConcurrentReconciles", workers) : defaults.MaxConcurrentReconciles,
            BackoffCap = Duration("backoffCap", One("backoffCap")) ?? defaults.BackoffCap,
            ShutdownTimeout = Duration("shutdownTimeout", One("shutdownTimeout")) ?? defaults.ShutdownTimeout,
            LogLevel = One("logLevel") ?? defaults.LogLevel,
            LogFormat = One("logFormat") ?? defaults.LogFormat,
        };
    }

    /// <summary>Parses <c>90s</c>, <c>10m</c>, <c>1h30m</c>, <c>500ms</c> (Go style) or <c>00:10:00</c>.</summary>
    public static TimeSpan? Duration(string key, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span))
        {
            return span;
        }

        var total = TimeSpan.Zero;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(text[start..i], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                throw new FormatException($"{key}: '{text}' is not a duration (e.g. 30s, 10m, 1h)");
            }

            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            total += text[unitStart..i] switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => TimeSpan.FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                "h" => TimeSpan.FromHours(number),
                _ => throw new FormatException($"{key}: '{text}' is not a duration (units ms, s, m, h)"),
            };
        }

        return total;
    }

    private static IReadOnlyList<string> Split(string value)
        => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool ParseBool(string key, string value)
        => bool.TryParse(value, out var b) ? b : throw new FormatException($"{key}: '{value}' is not true or false");

    private static int ParseInt(string key, string value)
        => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new FormatException($"{key}: '{value}' is not a positive number");

    private static string Known(string key, string file)
        => All.Any(s => s.Key == key) ? key : throw new FormatException($"{file}: unknown setting '{key}' (known: {string.Join(", ", All.Select(s => s.Key))})");

    private static IEnumerable<(string Key, IReadOnlyList<string> Value)> ReadFile(string path)
    {
        var text = File.ReadAllText(path);
        return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ReadJson(text) : ReadYaml(text);
    }

    private static IEnumerable<(string, IReadOnlyList<string>)> ReadJson(string text)
    {
        var root = JsonNode.Parse(text) as JsonObject ?? throw new FormatException("the config file must hold a JSON object");
        foreach (var (key, value) in root)
        {
            IReadOnlyList<string> values = value switch
            {
                null => [],
                JsonArray array => array.Select(v => v?.ToString() ?? string.Empty).ToList(),
                _ => [value.ToString()],
            };
            yield return (key, values);
        }
    }

    private static IEnumerable<(string, IReadOnlyList<string>)> ReadYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count == 0)
        {
            yield break;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException("the config file must hold a YAML mapping");
        }

        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            IReadOnlyList<string> values = valueNode switch
            {
                YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty).ToList(),
                YamlScalarNode scalar => scalar.Value is null ? [] : [scalar.Value],
                _ => throw new FormatException($"{key}: expected a value or a list"),
            };
            yield return (key, values);
        }
    }

    /// <summary>One setting: config key (camelCase), flag (kebab-case) and environment variable (OPENKBS_UPPER_SNAKE).</summary>
    internal sealed record Setting(string Key, string Flag, string Description, bool Repeatable = false)
    {
        public string EnvironmentVariable { get; } = "OPENKBS_" + string.Concat(Key.Select(c => char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()));
    }
}
