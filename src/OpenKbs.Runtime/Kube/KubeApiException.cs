using System.Net;

namespace OpenKbs.Runtime.Kube;

/// <summary>A non-success answer of the Kubernetes API, with the status code and the Status reason/message it sent.</summary>
public sealed class KubeApiException : Exception
{
    public KubeApiException()
    {
    }

    public KubeApiException(string message)
        : base(message)
    {
    }

    public KubeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubeApiException(HttpStatusCode statusCode, string? reason, string message)
        : base($"{(int)statusCode} {reason}: {message}")
    {
        StatusCode = statusCode;
        Reason = reason;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>metav1.Status reason, e.g. <c>Conflict</c>, <c>NotFound</c>, <c>Expired</c>, <c>Gone</c>.</summary>
    public string? Reason { get; }

    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>410 Gone / Expired: the resourceVersion is too old; relist.</summary>
    public bool IsGone => StatusCode == HttpStatusCode.Gone || string.Equals(Reason, "Expired", StringComparison.Ordinal) || string.Equals(Reason, "Gone", StringComparison.Ordinal);
}
