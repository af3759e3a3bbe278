using System.Buffers;
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

    /// <summary>
    /// For a response read without buffering (<see cref="HttpMessage.BufferResponse"/> off): copies its body, an error's
    /// few bytes, into memory so the error can be parsed, then throws the <see cref="RequestFailedException"/>.
    /// </summary>
    public static async Task<Exception> FailUnbufferedAsync(Response response, CancellationToken cancellationToken)
    {
        if (response.ContentStream is { } stream and not MemoryStream)
        {
            var buffered = new MemoryStream();
            await using (stream.ConfigureAwait(false))
            {
                await stream.CopyToAsync(buffered, cancellationToken).ConfigureAwait(false);
            }
            buffered.Position = 0;
            response.ContentStream = buffered;
        }
        return new RequestFailedException(response);
    }

    /// <summary>
    /// Reads the body of an unbuffered response into an array from the shared pool, sized by Content-Length when there is
    /// one: no growing copies, nothing left for the collector. Dispose the result to return the array.
    /// </summary>
    public static async Task<PooledContent> ReadPooledAsync(Response response, CancellationToken cancellationToken)
    {
        if (response.ContentStream is not { } stream)
        {
            return default;
        }
        var size = response.Headers.ContentLength is { } declared and > 0 and < int.MaxValue ? (int)declared + 1 : 64 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        var length = 0;
        try
        {
            await using (stream.ConfigureAwait(false))
            {
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    length += read;
                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                }
            }
            return new PooledContent(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}

/// <summary>A response body in a rented array; <see cref="Dispose"/> returns the array to the pool.</summary>
internal readonly struct PooledContent(byte[] array, int length) : IDisposable
{
    public ReadOnlySpan<byte> Span => array is null ? [] : array.AsSpan(0, length);

    public void Dispose()
    {
        if (array is not null)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
