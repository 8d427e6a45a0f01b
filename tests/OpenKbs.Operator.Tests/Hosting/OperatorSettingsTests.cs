using OpenKbs.Operator.Hosting;

namespace OpenKbs.Operator.Tests.Hosting;

public sealed class OperatorSettingsTests : IDisposable
{
    private static readonly IReadOnlyDictionary<string, string> NoEnv = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoFlags = new Dictionary<string, IReadOnlyList<string>>();
    private readonly string _dir = Directory.CreateTempSubdirectory("openkbs-settings-").FullName;

    [Fact]
    public void Defaults_match_controller_runtime_and_the_brief()
    {
        var o = OperatorSettings.Load(null, NoEnv, NoFlags);

        Assert.Equal((":8080", ":8081", true, "openkbs-operator"), (o.MetricsBindAddress, o.HealthProbeBindAddress, o.LeaderElect, o.LeaderElectionId));
        Assert.Equal((TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)), (o.LeaseDuration, o.RenewDeadline, o.RetryPeriod));
        Assert.Equal((TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(5)), (o.ResyncInterval, o.TerminalRecheckInterval, o.BackoffCap));
        Assert.Empty(o.Namespaces);
        Assert.Equal("json", o.LogFormat);
    }

    [Fact]
    public void Flags_beat_environment_which_beats_the_config_file()
    {
        var yaml = Path.Combine(_dir, "openkbs.yaml");
        File.WriteAllText(yaml, """
            metricsBindAddress: ":9000"
            healthProbeBindAddress: ":9001"
            resyncInterval: 20m
            namespaces: [team-a, team-b]
            leaderElect: false
            """);
        var env = new Dictionary<string, string> { ["OPENKBS_HEALTH_PROBE_BIND_ADDRESS"] = ":9101", ["OPENKBS_RESYNC_INTERVAL"] = "15m", ["UNRELATED"] = "x" };
        var flags = new Dictionary<string, IReadOnlyList<string>> { ["resyncInterval"] = ["90s"] };

        var o = OperatorSettings.Load(yaml, env, flags);

        Assert.Equal((":9000", ":9101", TimeSpan.FromSeconds(90), false), (o.MetricsBindAddress, o.HealthProbeBindAddress, o.ResyncInterval, o.LeaderElect));
        Assert.Equal(["team-a", "team-b"], o.Namespaces);
    }

    [Fact]
    public void Json_config_and_repeatable_namespaces()
    {
        var json = Path.Combine(_dir, "openkbs.json");
        File.WriteAllText(json, """{ "namespaces": ["a"], "maxConcurrentReconciles": 8, "logFormat": "text" }""");
        var flags = new Dictionary<string, IReadOnlyList<string>> { ["namespaces"] = ["b", "c,d"] };

        var o = OperatorSettings.Load(json, new Dictionary<string, string> { ["OPENKBS_NAMESPACES"] = "x, y" }, flags);

        Assert.Equal(["b", "c", "d"], o.Namespaces);
        Assert.Equal((8, "text"), (o.MaxConcurrentReconciles, o.LogFormat));
    }

    public static TheoryData<string, double> Durations => new()
    {
        { "500ms", 0.5 },
        { "30s", 30 },
        { "10m", 600 },
        { "1h30m", 5_400 },
        { "00:02:00", 120 },
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void Durations_accept_go_style_and_timespan_text(string text, double seconds)
        => Assert.Equal(TimeSpan.FromSeconds(seconds), OperatorSettings.Duration("x", text));

    [Theory]
    [InlineData("resyncInterval", "10x")]
    [InlineData("maxConcurrentReconciles", "0")]
    [InlineData("leaderElect", "maybe")]
    public void Bad_values_name_the_setting(string key, string value)
    {
        var ex = Assert.Throws<FormatException>(() => OperatorSettings.Load(null, NoEnv, new Dictionary<string, IReadOnlyList<string>> { [key] = [value] }));
        Assert.StartsWith(key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keys_in_the_config_file_are_refused()
    {
        var yaml = Path.Combine(_dir, "typo.yaml");
        File.WriteAllText(yaml, "metricsBindAdress: \":9000\"\n");

        Assert.Contains("unknown setting 'metricsBindAdress'", Assert.Throws<FormatException>(() => OperatorSettings.Load(yaml, NoEnv, NoFlags)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_variable_names_follow_the_keys()
        => Assert.Equal(
            ["OPENKBS_KUBECONFIG", "OPENKBS_METRICS_BIND_ADDRESS", "OPENKBS_LEADER_ELECT", "OPENKBS_MAX_CONCURRENT_RECONCILES"],
            OperatorSettings.All.Where(s => s.Key is "kubeconfig" or "metricsBindAddress" or "leaderElect" or "maxConcurrentReconciles").Select(s => s.EnvironmentVariable));

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
