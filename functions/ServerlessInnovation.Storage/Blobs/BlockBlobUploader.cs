using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Azure;
using Azure.Core;

namespace ServerlessInnovation.Storage.Blobs;

/// <summary>
/// Uploads a block blob: content known to fit <see cref="StorageTransferOptions.InitialTransferSize"/> (or a stream of
/// unknown length that ends within its first block) in one Put Blob; anything else as Put Block requests of a fixed size,
/// each with its Content-MD5, read one block at a time into pooled buffers and sent a few at once, then one Put Block List
/// that stores the whole content's MD5. The whole content is never held in memory.
/// </summary>
/// <remarks>
/// A single Put Blob carries no Content-MD5: the service computes and stores the MD5 of what it received itself, TLS guards
/// the transfer, and hashing first would hold back the first byte by the time of a pass over the content (about 13 ms per
/// 8 MiB here). Blocks are hashed because their hashing overlaps with other blocks in flight, and the service computes no
/// MD5 for a block list.
/// </remarks>
internal sealed class BlockBlobUploader(BlobClientContext context, Uri blobUri, BlobUploadOptions options)
{
    public async Task<Response<BlobContentInfo>> UploadAsync(Stream content, CancellationToken cancellationToken)
    {
        var (initialTransferSize, blockSize, concurrency) = BlobLimits.ResolveTransfer(options.TransferOptions, nameof(options));
        long? knownLength = content.CanSeek ? content.Length - content.Position : null;
        if (knownLength is { } length && length <= initialTransferSize)
        {
            return await PutBlobAsync(new StreamSegmentContent(content, content.Position, length), cancellationToken).ConfigureAwait(false);
        }
        if (knownLength > (long)BlobLimits.MaxBlocks * blockSize)
        {
            throw TooManyBlocks(blockSize, nameof(content));
        }

        var first = ArrayPool<byte>.Shared.Rent(blockSize);
        int read;
        try
        {
            read = await content.ReadAtLeastAsync(first.AsMemory(0, blockSize), blockSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(first);
            throw;
        }
        if (read < blockSize && read <= initialTransferSize)
        {
            try
            {
                return await PutBlobAsync(RequestContent.Create(first.AsMemory(0, read)), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(first);
            }
        }
        return await PutBlocksAsync(content, first, read, blockSize, concurrency, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Response<BlobContentInfo>> PutBlobAsync(RequestContent body, CancellationToken cancellationToken)
    {
        using var message = context.CreateMessage(RequestMethod.Put, blobUri);
        var request = message.Request;
        request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
        if (options.ContentType is { } contentType)
        {
            request.Headers.SetValue(HttpHeader.Names.ContentType, contentType);
        }
        SetCommitHeaders(message);
        request.Content = body;
        var response = BlobClientContext.EnsureSuccess(await context.SendAsync(message, cancellationToken).ConfigureAwait(false));
        return Response.FromValue(ContentInfo(response, BlobHeaders.ParseHash(BlobHeaders.Value(response, "Content-MD5"))), response);
    }

    /// <summary>
    /// Stages <paramref name="first"/> and then each further block read from <paramref name="content"/>, at most
    /// <paramref name="concurrency"/> at a time, and commits them. On any failure the blocks in flight are cancelled and
    /// awaited (so every buffer goes back to the pool) and nothing is committed.
    /// </summary>
    private async Task<Response<BlobContentInfo>> PutBlocksAsync(
        Stream content, byte[] first, int firstLength, int blockSize, int concurrency, CancellationToken cancellationToken)
    {
        var uploadId = Guid.NewGuid();
        var blockIds = new List<string>();
        var inFlight = new List<Task>(concurrency);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var failure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        byte[]? buffer = first;
        var length = firstLength;
        try
        {
            while (buffer is not null)
            {
                if (blockIds.Count == BlobLimits.MaxBlocks)
                {
                    throw TooManyBlocks(blockSize, nameof(content));
                }
                hash.AppendData(buffer, 0, length);
                var blockId = BlockId(uploadId, blockIds.Count);
                blockIds.Add(blockId);
                if (inFlight.Count == concurrency)
                {
                    var done = await Task.WhenAny(inFlight).ConfigureAwait(false);
                    inFlight.Remove(done);
                    await done.ConfigureAwait(false);
                }
                inFlight.Add(PutBlockAsync(blockId, buffer, length, failure.Token));
                buffer = null;
                if (length == blockSize)
                {
                    buffer = ArrayPool<byte>.Shared.Rent(blockSize);
                    length = await content.ReadAtLeastAsync(buffer.AsMemory(0, blockSize), blockSize, throwOnEndOfStream: false, failure.Token).ConfigureAwait(false);
                    if (length == 0)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = null;
                    }
                }
            }
            await Task.WhenAll(inFlight).ConfigureAwait(false);
        }
        catch
        {
            await failure.CancelAsync().ConfigureAwait(false);
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            // The first failure is the one the caller sees; the others only need to have finished.
            await Task.WhenAll(inFlight).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
        return await PutBlockListAsync(blockIds, hash.GetHashAndReset(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Put Block of <paramref name="buffer"/>'s first <paramref name="length"/> bytes; the buffer goes back to the pool when done.</summary>
    private async Task PutBlockAsync(string blockId, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        try
        {
            using var message = context.CreateMessage(RequestMethod.Put, blobUri);
            message.Request.Uri.AppendQuery("comp", "block");
            message.Request.Uri.AppendQuery("blockid", blockId);
            message.Request.Headers.SetValue("Content-MD5", Convert.ToBase64String(Md5(buffer.AsSpan(0, length))));
            BlobHeaders.SetLeaseId(message.Request, options.Conditions?.LeaseId);
            message.Request.Content = RequestContent.Create(buffer.AsMemory(0, length));
            BlobClientContext.EnsureSuccess(await context.SendAsync(message, cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<Response<BlobContentInfo>> PutBlockListAsync(List<string> blockIds, byte[] md5, CancellationToken cancellationToken)
    {
        using var message = context.CreateMessage(RequestMethod.Put, blobUri);
        var request = message.Request;
        request.Uri.AppendQuery("comp", "blocklist");
        request.Headers.SetValue(HttpHeader.Names.ContentType, "application/xml");
        request.Headers.SetValue("x-ms-blob-content-md5", Convert.ToBase64String(md5));
        if (options.ContentType is { } contentType)
        {
            request.Headers.SetValue("x-ms-blob-content-type", contentType);
        }
        SetCommitHeaders(message);
        request.Content = RequestContent.Create(BlobXml.BlockList(blockIds));
        var response = BlobClientContext.EnsureSuccess(await context.SendAsync(message, cancellationToken).ConfigureAwait(false));
        // The reply's Content-MD5 is that of the block list; the blob's is the one just stored.
        return Response.FromValue(ContentInfo(response, md5), response);
    }

    /// <summary>Metadata, conditions, and for a create-only upload <c>If-None-Match: *</c>, which must not be retried once it may have applied.</summary>
    private void SetCommitHeaders(HttpMessage message)
    {
        BlobHeaders.SetMetadata(message.Request, options.Metadata);
        BlobHeaders.SetConditions(message.Request, options.Conditions);
        if (!options.Overwrite)
        {
            message.Request.Headers.SetValue(HttpHeader.Names.IfNoneMatch, "*");
            StorageResponseClassifier.MarkNonIdempotent(message);
        }
    }

    private static BlobContentInfo ContentInfo(Response response, byte[]? contentHash) =>
        new() { ETag = BlobHeaders.ETag(response), LastModified = BlobHeaders.LastModified(response), ContentHash = contentHash };

    /// <summary>
    /// 24 bytes — the upload's id, then the block's index — in base64: 32 characters for every block, and distinct from
    /// the blocks of any other upload staged on the same blob at the same time.
    /// </summary>
    internal static string BlockId(Guid uploadId, int index)
    {
        Span<byte> id = stackalloc byte[24];
        uploadId.TryWriteBytes(id);
        BinaryPrimitives.WriteInt64BigEndian(id[16..], index);
        return Convert.ToBase64String(id);
    }

    private static ArgumentException TooManyBlocks(int blockSize, string paramName) => new(
        $"The content needs more than {BlobLimits.MaxBlocks} blocks of {blockSize} bytes; raise TransferOptions.MaximumTransferSize.",
        paramName);

    // MD5 is what the protocol's Content-MD5 integrity check uses; it protects against corruption, not against an attacker.
#pragma warning disable CA5351
    private static byte[] Md5(ReadOnlySpan<byte> data) => MD5.HashData(data);
#pragma warning restore CA5351
}
