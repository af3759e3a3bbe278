using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace ServerlessInnovation.Storage;

/// <summary>
/// Lifts a storage error into <see cref="RequestFailedException.ErrorCode"/> and the exception message. The code comes from
/// the <c>x-ms-error-code</c> header first, because bodies differ: Table errors are JSON (<c>odata.error</c>), Blob and Queue
/// errors are XML (<c>&lt;Error&gt;&lt;Code&gt;</c>), and authentication errors are XML on every service.
/// </summary>
/// <remarks>
/// Azure's authentication failures carry an <c>AuthenticationErrorDetail</c> element that quotes the request's signature
/// and the server's string-to-sign. Azure.Core copies the response body into the exception message, so for 401 and 403
/// responses that element is removed from the body before the message is built.
/// </remarks>
internal sealed class StorageRequestFailedDetailsParser : RequestFailedDetailsParser
{
    public static StorageRequestFailedDetailsParser Instance { get; } = new();

    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        data = null;
        response.Headers.TryGetValue("x-ms-error-code", out var code);
        string? message = null;
        var body = response.Content.ToMemory();
        if (!body.IsEmpty)
        {
            var mediaType = MediaType(response);
            if (mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase))
            {
                (var jsonCode, message) = ReadJsonError(body);
                code ??= jsonCode;
            }
            else if (mediaType.EndsWith("xml", StringComparison.OrdinalIgnoreCase) && StorageXml.TryLoad(body) is { Root: { } root } document)
            {
                code ??= root.Element("Code")?.Value;
                message = root.Element("Message")?.Value;
                if (response.Status is 401 or 403 && root.Element("AuthenticationErrorDetail") is { } detail)
                {
                    detail.Remove();
                    response.ContentStream = new MemoryStream(Encoding.UTF8.GetBytes(document.ToString(SaveOptions.DisableFormatting)));
                }
            }
        }

        error = code is null && message is null ? null : new ResponseError(code, message);
        return error is not null;
    }

    private static string MediaType(Response response) =>
        response.Headers.ContentType is { } contentType && MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            ? parsed.MediaType ?? ""
            : "";

    // {"odata.error":{"code":"...","message":{"lang":"en-US","value":"..."}}}
    private static (string? Code, string? Message) ReadJsonError(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("odata.error", out var odataError)
                && odataError.ValueKind == JsonValueKind.Object)
            {
                var code = odataError.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                var message = odataError.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object
                    && m.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String
                    ? v.GetString()
                    : null;
                return (code, message);
            }
        }
        catch (JsonException)
        {
            // Not the documented shape; the status and the x-ms-error-code header still describe the failure.
        }
        return (null, null);
    }
}
