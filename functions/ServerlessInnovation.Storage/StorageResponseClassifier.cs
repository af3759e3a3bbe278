using System.Net.Sockets;
using Azure.Core;

namespace ServerlessInnovation.Storage;

/// <summary>
/// Which failures are retried. Idempotent requests (reads, replaces, deletes, block uploads) are retried on every
/// transient failure, as Azure.Core does. A request marked non-idempotent with <see cref="MarkNonIdempotent"/> (an insert,
/// a queue message, a create-only upload, a pop-receipt update) is retried only when the service or the network shows it
/// was not carried out — 408, 429 and 503, or a connection that never opened — so a retry cannot do it twice.
/// </summary>
internal sealed class StorageResponseClassifier : ResponseClassifier
{
    private const string NonIdempotentProperty = "ServerlessInnovation.Storage.NonIdempotent";

    public static StorageResponseClassifier Instance { get; } = new();

    /// <summary>Marks <paramref name="message"/> as one that must not be repeated once the service may have applied it.</summary>
    public static void MarkNonIdempotent(HttpMessage message) => message.SetProperty(NonIdempotentProperty, true);

    public static bool IsNonIdempotent(HttpMessage message) =>
        message.TryGetProperty(NonIdempotentProperty, out var value) && value is true;

    public override bool IsRetriableResponse(HttpMessage message) => message.Response.Status switch
    {
        408 or 429 or 503 => true,
        500 or 502 or 504 => !IsNonIdempotent(message),
        _ => false,
    };

    public override bool IsRetriable(HttpMessage message, Exception exception) =>
        IsNonIdempotent(message) ? NeverReachedTheService(exception) : base.IsRetriable(message, exception);

    /// <summary>The connection could not be opened: the request was never sent.</summary>
    private static bool NeverReachedTheService(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.TryAgain })
            {
                return true;
            }
        }
        return false;
    }
}
