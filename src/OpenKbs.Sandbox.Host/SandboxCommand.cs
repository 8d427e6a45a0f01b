using System.CommandLine;
using System.Runtime.InteropServices;
using OpenKbs.Sandbox.Aws.Bootstrap;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Sandbox.Aws.Moto;
using OpenKbs.Sandbox.Kube;

namespace OpenKbs.Sandbox.Host;

/// <summary>
/// `openkbs sandbox` (this executable, `openkbs-sandbox`): the Kubernetes-compatible API server plus moto (or a given
/// AWS endpoint), bootstrapped for the operator (CRDs, AWS Organization, artifact bucket, example artifacts),
/// optionally with `openkbs run` as a child process.
/// Writes DIR/kubeconfig, DIR/aws.env and, once everything answers, DIR/ready; stops cleanly on SIGINT/SIGTERM.
/// </summary>
internal static class SandboxCommand
{
    public static RootCommand Create()
    {
        var command = new RootCommand(
            "Run a local Kubernetes-compatible API server and moto (AWS), with the CRDs installed and AWS bootstrapped. "
            + "Writes DIR/kubeconfig (context openkbs-sandbox), DIR/aws.env and DIR/ready; Ctrl-C stops everything.");
        var stateDir = new Option<string>("--state-dir") { Description = "Folder for kubeconfig, aws.env, ready and moto.log.", Required = true };
        var withOperator = new Option<bool>("--with-operator") { Description = "Also run the operator (`openkbs run` of the same checkout) against the sandbox and AWS." };
        var kubePort = new Option<int>("--kube-port") { Description = "Port of the API server (0 = a free port).", DefaultValueFactory = _ => 0 };
        var awsPort = new Option<int>("--aws-port") { Description = "Port of moto_server (0 = a free port).", DefaultValueFactory = _ => 0 };
        var awsEndpoint = new Option<string?>("--aws-endpoint") { Description = "Use this AWS endpoint (an already running moto) instead of starting moto." };
        var crds = new Option<string?>("--crds") { Description = "CRD folder (default: crds/ of the repository that contains the current directory, else next to the executable)." };
        var examples = new Option<string?>("--examples") { Description = "Examples folder whose artifacts are uploaded (default: docs/examples of the repository)." };
        command.Options.Add(stateDir);
        command.Options.Add(withOperator);
        command.Options.Add(kubePort);
        command.Options.Add(awsPort);
        command.Options.Add(awsEndpoint);
        command.Options.Add(crds);
        var awsChaos = new Option<string?>("--aws-chaos")
        {
            Description = "What the AWS proxy in front of moto does (docs/aws-chaos.md), e.g. "
                + "throttle=0.2,error=0.05,latency=50ms,reset=0.01,timeout=0.01,seed=42,realism=on. The proxy always runs, so AWS "
                + "behaves as it does for real where moto differs (the Account primary-email API, TLS-only bucket policies); "
                + "the default ('off') injects no faults.",
        };
        var anchorBucket = new Option<string?>("--anchor-bucket")
        {
            Description = "Create this S3 bucket with Object Lock in the management account (eu-central-1) and give it to the operator as the "
                + "audit chains' anchor (OPENKBS_AuditStore__AnchorBucket / __AnchorRegion; the operator needs an audit store for it).",
        };
        command.Options.Add(examples);
        command.Options.Add(awsChaos);
        command.Options.Add(anchorBucket);

        command.SetAction((parse, cancellationToken) =>
        {
            var chaos = AwsChaosSpec.None;
            if (parse.GetValue(awsChaos) is { } spec)
            {
                try
                {
                    chaos = AwsChaosSpec.Parse(spec);
                }
                catch (FormatException ex)
                {
                    Console.Error.WriteLine($"openkbs sandbox: {ex.Message}");
                    return Task.FromResult(2);
                }
            }

            var settings = new SandboxSettings
            {
                StateDirectory = Path.GetFullPath(parse.GetValue(stateDir)!),
                WithOperator = parse.GetValue(withOperator),
                KubePort = parse.GetValue(kubePort),
                AwsPort = parse.GetValue(awsPort),
                AwsEndpoint = parse.GetValue(awsEndpoint),
                CrdsDirectory = parse.GetValue(crds),
                ExamplesDirectory = parse.GetValue(examples),
                AwsChaos = chaos,
                AnchorBucket = parse.GetValue(anchorBucket),
            };
            return RunAsync(settings, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(SandboxSettings settings, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Already stopping.
            }
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        Directory.CreateDirectory(settings.StateDirectory);
        var readyFile = Path.Combine(settings.StateDirectory, "ready");
        File.Delete(readyFile);
        var log = Console.Out;
        KubeApiServer? server = null;
        MotoServer? moto = null;
        AwsChaosProxy? chaosProxy = null;
        OperatorProcess? operatorProcess = null;
        try
        {
            server = await KubeApiServer.StartAsync(new KubeApiServerOptions { Port = settings.KubePort }, stop.Token);
            var kubeconfig = server.WriteKubeconfig(Path.Combine(settings.StateDirectory, "kubeconfig"));
            await log.WriteLineAsync($"sandbox: Kubernetes API at {server.Url} (kubeconfig {kubeconfig}, context openkbs-sandbox)");

            var crdsDirectory = settings.CrdsDirectory ?? FindRepositoryFolder("crds");
            if (crdsDirectory is null || !Directory.Exists(crdsDirectory))
            {
                await Console.Error.WriteLineAsync("openkbs sandbox: no crds/ folder found (run from the repository, or pass --crds DIR)");
                return 2;
            }

            await server.InstallCrdsAsync(crdsDirectory, stop.Token);
            await log.WriteLineAsync($"sandbox: installed the CRDs of {crdsDirectory}");

            Uri endpoint;
            if (settings.AwsEndpoint is { Length: > 0 } given)
            {
                endpoint = new Uri(given);
            }
            else
            {
                try
                {
                    moto = await MotoLauncher.StartAsync(new MotoServerOptions { Port = settings.AwsPort, LogFile = Path.Combine(settings.StateDirectory, "moto.log") }, stop.Token);
                }
                catch (MotoNotFoundException ex)
                {
                    await Console.Error.WriteLineAsync($"openkbs sandbox: {ex.Message}");
                    await Console.Error.WriteLineAsync("openkbs sandbox: install it with: pip install \"moto[server]==5.2.1\" (or pass --aws-endpoint URL)");
                    return 3;
                }

                endpoint = moto.Endpoint;
                await log.WriteLineAsync($"sandbox: moto at {endpoint} (log {Path.Combine(settings.StateDirectory, "moto.log")})");
            }

            // The bootstrap talks to moto directly (no faults while setting up); everything else goes through the proxy.
            var examplesDirectory = settings.ExamplesDirectory ?? FindRepositoryFolder(Path.Combine("docs", "examples"));
            await SandboxAws.BootstrapAsync(endpoint, examplesDirectory, log, stop.Token);
            if (settings.AnchorBucket is { Length: > 0 } anchors)
            {
                await SandboxAws.CreateAnchorBucketAsync(endpoint, anchors, log, stop.Token);
            }
            chaosProxy = await AwsChaosProxy.StartAsync(new AwsChaosProxyOptions { Backend = endpoint, Spec = settings.AwsChaos, MailDirectory = Path.Combine(settings.StateDirectory, "mail") }, stop.Token);
            await log.WriteLineAsync($"sandbox: AWS proxy at {chaosProxy.Endpoint} in front of {endpoint} ({settings.AwsChaos}); stats: GET {chaosProxy.Endpoint}__chaos/stats");
            endpoint = chaosProxy.Endpoint;

            var awsEnvironment = SandboxAws.Environment(endpoint);
            var awsEnvFile = Path.Combine(settings.StateDirectory, "aws.env");
            SandboxAws.WriteEnvFile(awsEnvFile, awsEnvironment);
            await log.WriteLineAsync($"sandbox: AWS environment in {awsEnvFile}");

            if (settings.WithOperator)
            {
                if (OperatorProcess.Find() is not { } operatorDll)
                {
                    await Console.Error.WriteLineAsync("openkbs sandbox: --with-operator needs openkbs.dll next to this executable or built in the checkout (make build)");
                    return 2;
                }

                operatorProcess = OperatorProcess.Start(operatorDll, kubeconfig, [.. awsEnvironment, .. SandboxAws.AnchorSettings(settings.AnchorBucket)]);
                await log.WriteLineAsync($"sandbox: operator started ({operatorDll} run)");
            }

            await File.WriteAllTextAsync(readyFile, $"kube={server.Url}\naws={endpoint}\n", stop.Token);
            await log.WriteLineAsync($"sandbox: ready ({readyFile}). Try: kubectl --kubeconfig {kubeconfig} get crds. Ctrl-C stops.");

            var stopped = Task.Delay(Timeout.Infinite, stop.Token);
            var finished = operatorProcess is null ? await Task.WhenAny(stopped) : await Task.WhenAny(stopped, operatorProcess.Exited);
            if (operatorProcess is not null && finished == operatorProcess.Exited)
            {
                var code = await operatorProcess.Exited;
                await Console.Error.WriteLineAsync($"openkbs sandbox: the operator stopped (exit code {code}); stopping the sandbox");
                return code == 0 ? 1 : code;
            }

            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            File.Delete(readyFile);
            if (operatorProcess is not null)
            {
                if (!await operatorProcess.StopAsync(TimeSpan.FromSeconds(30)))
                {
                    await Console.Error.WriteLineAsync("openkbs sandbox: the operator did not stop within 30 s");
                }

                await operatorProcess.DisposeAsync();
            }

            if (chaosProxy is not null)
            {
                await chaosProxy.DisposeAsync();
            }

            if (moto is not null)
            {
                await moto.DisposeAsync();
            }

            if (server is not null)
            {
                await server.DisposeAsync();
            }

            await log.WriteLineAsync("sandbox: stopped");
        }
    }

    /// <summary>A folder of the repository that contains the current directory (the one with OpenKbs.Operator.sln), else next to the executable.</summary>
    private static string? FindRepositoryFolder(string relative)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenKbs.Operator.sln")))
            {
                var candidate = Path.Combine(dir.FullName, relative);
                return Directory.Exists(candidate) ? candidate : null;
            }
        }

        var beside = Path.Combine(AppContext.BaseDirectory, relative);
        return Directory.Exists(beside) ? beside : null;
    }
}
