using System.Buffers;
using Azure.Core;

namespace ServerlessInnovation.Storage.Blobs;

/// <summary>
/// A request body of <c>count</c> bytes read from a seekable stream at <c>origin</c>, sent straight from the stream. Each
/// write seeks back to <c>origin</c>, so retries resend the same bytes; the caller keeps ownership of the stream.
/// </summary>
internal sealed class StreamSegmentContent(Stream stream, long origin, long count) : RequestContent
{
    private const int ChunkSize = 81920;

    public override Task WriteToAsync(Stream destination, CancellationToken cancellationToken)
    {
        stream.Position = origin;
        return ForEachChunkAsync(stream, count, destination.WriteAsync, cancellationToken);
    }

    // The clients send asynchronously only; this exists because RequestContent requires it.
    public override void WriteTo(Stream destination, CancellationToken cancellationToken) =>
        WriteToAsync(destination, cancellationToken).GetAwaiter().GetResult();

    public override bool TryComputeLength(out long length)
    {
        length = count;
        return true;
    }

    /// <summary>Leaves the stream open: it belongs to the caller of the upload.</summary>
    public override void Dispose()
    {
    }

    /// <summary>Reads the next <paramref name="byteCount"/> bytes of <paramref name="source"/> through a pooled buffer, chunk by chunk.</summary>
    /// <exception cref="IOException">The stream ended early.</exception>
    public static async Task ForEachChunkAsync(
        Stream source, long byteCount, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> consume, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            for (var remaining = byteCount; remaining > 0;)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException($"The stream ended {remaining} bytes before the length it reported.");
                }
                await consume(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
