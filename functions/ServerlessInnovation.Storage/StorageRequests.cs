using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessInnovation.Storage;

/// <summary>What every storage client does with a request: address it, send it, and read the service's verdict.</summary>
internal static class StorageRequests
{
    /// <summary>A request for <paramref name="path"/>, relative to <paramref name="endpoint"/> and already escaped, with <c>x-ms-version</c>.</summary>
    public static HttpMessage CreateRequest(this HttpPipeline pipeline, RequestMethod method, Uri endpoint, string path, string apiVersion)
    {
        var message = pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(endpoint);
        request.Uri.AppendPath(request.Uri.Path.EndsWith('/') ? path : "/" + path, escape: false);
        request.Headers.SetValue("x-ms-version", apiVersion);
        return message;
    }

    /// <summary>Sends the request through the pipeline (retries included) and returns the final response, error or not.</summary>
    public static async Task<Response> SendRequestAsync(this HttpPipeline pipeline, HttpMessage message, CancellationToken cancellationToken)
    {
        await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response;
    }

    /// <summary>The response, or a <see cref="RequestFailedException"/> with its status and error code when it is an error.</summary>
    public static Response EnsureSuccess(Response response) =>
        response.IsError ? throw new RequestFailedException(response) : response;

    /// <summary>The service's error code (<c>x-ms-error-code</c>, else the body's), or null.</summary>
    public static string? ErrorCode(Response response) =>
        StorageRequestFailedDetailsParser.Instance.TryParse(response, out var error, out _) ? error?.Code : null;
}
