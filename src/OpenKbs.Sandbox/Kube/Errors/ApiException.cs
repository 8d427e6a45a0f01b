using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Errors;

/// <summary>
/// A failure answered as a Kubernetes `Status` object (kind Status, apiVersion v1) with the HTTP code, reason,
/// message and details a real API server would send. Factory methods mirror k8s.io/apimachinery/pkg/api/errors.
/// </summary>
internal sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }

    public string Reason { get; }

    public JsonObject? Details { get; }

    /// <summary>A continue token carried in the Status list metadata (410 on an expired continue token).</summary>
    public string? Continue { get; init; }

    /// <summary>Seconds a client should wait before retrying (429/503/504).</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>A fully built Status body (e.g. from the schema library's InvalidStatus builder) that replaces the default one.</summary>
    public JsonObject? Body { get; init; }

    public JsonObject ToStatus()
    {
        if (Body is not null)
        {
            return (JsonObject)Body.DeepClone();
        }

        var metadata = new JsonObject();
        if (Continue is not null)
        {
            metadata["continue"] = Continue;
        }

        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = metadata,
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        if (Details is not null)
        {
            status["details"] = Details.DeepClone();
        }

        status["code"] = Code;
        return status;
    }

    private static JsonObject NameDetails(string name, string group, string kind)
    {
        var d = new JsonObject();
        if (name.Length > 0)
        {
            d["name"] = name;
        }

        if (group.Length > 0)
        {
            d["group"] = group;
        }

        if (kind.Length > 0)
        {
            d["kind"] = kind;
        }

        return d;
    }

    private static string Qualified(string group, string resource) => group.Length == 0 ? resource : $"{resource}.{group}";

    public static ApiException NotFound(string group, string resource, string name) =>
        new(404, "NotFound", $"{Qualified(group, resource)} \"{name}\" not found", NameDetails(name, group, resource));

    public static ApiException AlreadyExists(string group, string resource, string name) =>
        new(409, "AlreadyExists", $"{Qualified(group, resource)} \"{name}\" already exists", NameDetails(name, group, resource));

    public static ApiException Conflict(string group, string resource, string name, string detail) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(group, resource)} \"{name}\": {detail}", NameDetails(name, group, resource));

    public static ApiException ObjectModified(string group, string resource, string name) =>
        Conflict(group, resource, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException MethodNotSupported(string group, string resource, string action) =>
        new(405, "MethodNotAllowed", $"{action} is not supported on resources of kind \"{Qualified(group, resource)}\"", NameDetails(string.Empty, group, resource));

    public static ApiException NotAcceptable(string message) => new(406, "NotAcceptable", message);

    public static ApiException UnsupportedMediaType(string message) => new(415, "UnsupportedMediaType", message);

    public static ApiException Expired(string message) => new(410, "Expired", message);

    public static ApiException Gone(string message) => new(410, "Gone", message);

    public static ApiException Internal(string message) =>
        new(500, "InternalError", $"Internal error occurred: {message}", new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = message }) });

    public static ApiException Forbidden(string group, string resource, string name, string reason) =>
        new(403, "Forbidden", $"{Qualified(group, resource)} \"{name}\" is forbidden: {reason}", NameDetails(name, group, resource));

    public static ApiException Timeout(string message, int retryAfter) =>
        new(504, "Timeout", message, new JsonObject { ["retryAfterSeconds"] = retryAfter }) { RetryAfterSeconds = retryAfter };

    public static ApiException NotFoundPath() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    /// <summary>422 Invalid, built like errors.NewInvalid: message "Kind.group \"name\" is invalid: field: detail, ...".</summary>
    public static ApiException Invalid(string group, string kind, string name, IReadOnlyList<KubeFieldError> errors)
    {
        var causes = new JsonArray();
        foreach (var e in errors)
        {
            causes.Add(new JsonObject { ["reason"] = e.Reason, ["message"] = e.Body, ["field"] = e.Field });
        }

        var qualifiedKind = group.Length == 0 ? kind : $"{kind}.{group}";
        var distinct = errors.Select(e => e.ToString()).Distinct(StringComparer.Ordinal).ToList();
        var message = distinct.Count switch
        {
            0 => $"{qualifiedKind} {KubeFieldError.Quote(name)} is invalid",
            1 => $"{qualifiedKind} {KubeFieldError.Quote(name)} is invalid: {distinct[0]}",
            _ => $"{qualifiedKind} {KubeFieldError.Quote(name)} is invalid: [{string.Join(", ", distinct)}]",
        };
        var details = NameDetails(name, group, kind);
        details["causes"] = causes;
        return new ApiException(422, "Invalid", message, details);
    }

    /// <summary>A Status for an arbitrary HTTP code, with the reason Kubernetes uses for it.</summary>
    public static ApiException ForCode(int code, string? message = null)
    {
        var (reason, text) = code switch
        {
            400 => ("BadRequest", "the server rejected our request for an unknown reason"),
            401 => ("Unauthorized", "Unauthorized"),
            403 => ("Forbidden", "forbidden"),
            404 => ("NotFound", "the server could not find the requested resource"),
            405 => ("MethodNotAllowed", "the server does not allow this method on the requested resource"),
            409 => ("Conflict", "the server reported a conflict"),
            410 => ("Expired", "the resource has expired"),
            422 => ("Invalid", "the server rejected our request due to an error in our request"),
            429 => ("TooManyRequests", "the server has received too many requests and has asked us to try again later"),
            500 => ("InternalError", "an error on the server (\"\") has prevented the request from succeeding"),
            503 => ("ServiceUnavailable", "the server is currently unable to handle the request"),
            504 => ("Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request"),
            _ => ("Unknown", $"the server responded with the status code {code} but did not return more information"),
        };
        return new ApiException(code, reason, message ?? text, new JsonObject()) { RetryAfterSeconds = code is 429 or 503 or 504 ? 1 : null };
    }
}
