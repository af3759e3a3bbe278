using System.Buffers.Text;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using ServerlessInnovation.Functions.Http;

namespace ServerlessInnovation.Functions.Hosting;

/// <summary>
/// HTTP functions in the host's default (non-forwarded) protocol: <c>POST /{FunctionName}</c> with the request
/// wrapped in <c>{"Data":{"req":{...}},"Metadata":{...}}</c>. The middleware unwraps the request, sends it through
/// the same pipeline a forwarded or standalone request takes, and wraps the answer in <c>Outputs.res</c>. With
/// <c>enableProxyingHttpRequest</c> (our host.json) the host sends the raw request instead and this stays idle.
/// </summary>
public sealed partial class HttpInvocationMiddleware(RequestDelegate next, FunctionManifest manifest, ILogger<HttpInvocationMiddleware> logger)
{
    /// <summary>Upper bound of an invocation payload we read: the host's 100 MB body limit is for uploads, which are proxied.</summary>
    private const int MaxPayloadBytes = 32 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !TryGetFunction(context.Request.Path, out var function))
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var invocationId = context.Request.Headers["X-Azure-Functions-InvocationId"].ToString();
        using var payload = await ReadPayloadAsync(context);
        if (payload is null || !payload.RootElement.TryGetProperty("Data", out var data) || data.ValueKind != JsonValueKind.Object ||
            !TryGetCaseInsensitive(data, function.Trigger.Name, out var request) || request.ValueKind != JsonValueKind.Object)
        {
            LogMalformedInvocation(logger, function.Name, invocationId);
            await Problems.BadRequest(new("调用负载不是有效的 HTTP 触发器负载", "The invocation payload is not a valid HTTP trigger payload")).ExecuteAsync(context);
            return;
        }

        var originalBody = context.Response.Body;
        using var captured = new MemoryStream();
        ApplyRequest(context.Request, request, function);
        context.Response.Body = captured;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = originalBody;
        }

        var status = context.Response.StatusCode;
        var headers = context.Response.Headers
            .Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        context.Response.Headers.Clear();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";

        var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await using (var writer = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Encoder = ApiJsonContext.Encoder }))
        {
            WriteEnvelope(writer, function, status, headers, captured.GetBuffer().AsSpan(0, (int)captured.Length), elapsedMs);
        }
        LogInvocation(logger, function.Name, invocationId, status, elapsedMs);
    }

    private bool TryGetFunction(PathString path, out FunctionDefinition function)
    {
        function = null!;
        var value = path.Value;
        return value is { Length: > 1 } && value.IndexOf('/', 1) < 0 &&
               manifest.TryGet(value[1..], out function!) && function.IsHttp;
    }

    /// <summary>The invocation payload as JSON, or null when it is too large or not JSON.</summary>
    internal static async Task<JsonDocument?> ReadPayloadAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxPayloadBytes)
        {
            return null;
        }
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 64 }, context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Replaces the invocation request with the HTTP request it carries (section 2.3 of the contract).</summary>
    private static void ApplyRequest(HttpRequest target, JsonElement source, FunctionDefinition function)
    {
        target.Method = StringProperty(source, "Method") ?? HttpMethods.Get;
        var url = StringProperty(source, "Url");
        if (url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            target.Path = PathString.FromUriComponent(uri.AbsolutePath);
            target.QueryString = QueryString.FromUriComponent(uri.Query);
        }
        else
        {
            // No URL: rebuild the path from the function's route and the route values the host sent.
            target.Path = PathFromRoute(function.Trigger.Route ?? function.Name, source);
            target.QueryString = QueryFrom(source);
        }
        target.PathBase = PathString.Empty;

        target.Headers.Clear();
        if (TryGetCaseInsensitive(source, "Headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in headers.EnumerateObject())
            {
                target.Headers[header.Name] = header.Value.ValueKind switch
                {
                    JsonValueKind.Array => new StringValues([.. header.Value.EnumerateArray().Select(v => v.ToString())]),
                    _ => header.Value.ToString(),
                };
            }
        }

        var body = BodyBytes(source, target.ContentType);
        target.Headers.ContentLength = body.Length;
        target.Body = new MemoryStream(body, writable: false);
    }

    /// <summary>The body as text (as the host sends it for text content), base64 for binary content types, or the raw JSON of an embedded value.</summary>
    private static byte[] BodyBytes(JsonElement request, string? contentType)
    {
        if (!TryGetCaseInsensitive(request, "Body", out var body) || body.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return [];
        }
        if (body.ValueKind != JsonValueKind.String)
        {
            return Encoding.UTF8.GetBytes(body.GetRawText());
        }
        var text = body.GetString()!;
        var binary = contentType is not null &&
                     (contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase) ||
                      contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase));
        return binary && Base64.IsValid(text) ? Convert.FromBase64String(text) : Encoding.UTF8.GetBytes(text);
    }

    private static PathString PathFromRoute(string route, JsonElement request)
    {
        var values = TryGetCaseInsensitive(request, "Params", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            ? parameters.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.OrdinalIgnoreCase)
            : [];
        var segments = route.Split('/').Select(segment =>
        {
            if (!segment.StartsWith('{') || !segment.EndsWith('}'))
            {
                return segment;
            }
            var name = segment.Trim('{', '}', '*', '?').Split(':')[0];
            return Uri.EscapeDataString(values.GetValueOrDefault(name) ?? "");
        });
        return new PathString("/" + string.Join('/', segments));
    }

    private static QueryString QueryFrom(JsonElement request)
    {
        if (!TryGetCaseInsensitive(request, "Query", out var query))
        {
            return QueryString.Empty;
        }
        if (query.ValueKind == JsonValueKind.String)
        {
            // Older hosts send the query as a JSON string holding the object.
            using var inner = JsonDocument.Parse(query.GetString() is { Length: > 0 } text ? text : "{}");
            return QueryFromObject(inner.RootElement);
        }
        return QueryFromObject(query);
    }

    private static QueryString QueryFromObject(JsonElement query) => query.ValueKind == JsonValueKind.Object
        ? QueryString.Create(query.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, (string?)p.Value.ToString())))
        : QueryString.Empty;

    private static string? StringProperty(JsonElement element, string name) =>
        TryGetCaseInsensitive(element, name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A property by name in any case: the host's payloads come from Newtonsoft, whose readers ignore case.</summary>
    internal static bool TryGetCaseInsensitive(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary><c>{"Outputs":{"res":{"statusCode":..,"headers":{..},"body":".."}},"Logs":[..],"ReturnValue":null}</c> (section 2.7).</summary>
    private static void WriteEnvelope(Utf8JsonWriter writer, FunctionDefinition function, int status,
        Dictionary<string, string> headers, ReadOnlySpan<byte> body, long elapsedMs)
    {
        var outputName = function.HttpOutput?.Name ?? "res";
        var asReturnValue = outputName == "$return";

        writer.WriteStartObject();
        writer.WriteStartObject("Outputs");
        if (!asReturnValue)
        {
            writer.WritePropertyName(outputName);
            WriteHttpResponse(writer, status, headers, body);
        }
        writer.WriteEndObject();
        writer.WriteStartArray("Logs");
        writer.WriteStringValue($"{function.Name} answered {status} in {elapsedMs} ms");
        writer.WriteEndArray();
        writer.WritePropertyName("ReturnValue");
        if (asReturnValue)
        {
            WriteHttpResponse(writer, status, headers, body);
        }
        else
        {
            writer.WriteNullValue();
        }
        writer.WriteEndObject();
    }

    private static void WriteHttpResponse(Utf8JsonWriter writer, int status, Dictionary<string, string> headers, ReadOnlySpan<byte> body)
    {
        writer.WriteStartObject();
        writer.WriteNumber("statusCode", status);
        writer.WriteStartObject("headers");
        foreach (var (name, value) in headers)
        {
            writer.WriteString(name, value);
        }
        writer.WriteEndObject();
        // The host writes a string body as-is; our HTTP functions answer with UTF-8 text.
        writer.WriteString("body", body);
        writer.WriteEndObject();
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Host invocation {InvocationId} of {Function} answered {Status} in {ElapsedMs} ms")]
    private static partial void LogInvocation(ILogger logger, string function, string invocationId, int status, long elapsedMs);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Host invocation {InvocationId} of {Function} carried no valid HTTP request")]
    private static partial void LogMalformedInvocation(ILogger logger, string function, string invocationId);
}
