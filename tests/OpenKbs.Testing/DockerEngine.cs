namespace OpenKbs.Testing;

/// <summary>Whether a Docker engine is reachable for the tests that start containers (k3s through Testcontainers).</summary>
public static class DockerEngine
{
    /// <summary>Null when a Docker engine is reachable (DOCKER_HOST is set or /var/run/docker.sock exists), else why such tests skip.</summary>
    public static string? Missing =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock")
            ? null
            : "no Docker engine (neither DOCKER_HOST nor /var/run/docker.sock)";
}
