using System.Security.Cryptography;

namespace ServerlessInnovation.Functions.Documents;

/// <summary>A file was longer than allowed; it was refused while being read, before it was all read.</summary>
public sealed class FileTooLargeException(long limit) : IOException($"The file is longer than {limit} bytes.")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// Reads through another stream once, learning what a document check needs on the way: the length, the SHA-256 and the
/// first bytes. Past <c>limit</c> bytes it throws <see cref="FileTooLargeException"/>, so a lying or missing
/// <c>Content-Length</c> cannot make anyone read or store more.
/// </summary>
public sealed class InspectingStream(Stream inner, long limit) : Stream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _head = new byte[FileTypes.HeadLength];
    private int _headLength;
    private long _length;

    /// <summary>The first bytes read (up to <see cref="FileTypes.HeadLength"/>).</summary>
    public ReadOnlySpan<byte> Head => _head.AsSpan(0, _headLength);

    /// <summary>The SHA-256 of everything read, lowercase hex; call once, at the end.</summary>
    public string Sha256() => Convert.ToHexStringLower(_sha256.GetHashAndReset());

    public long BytesRead => _length;

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Observe(buffer[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Observe(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Observe(ReadOnlySpan<byte> read)
    {
        _length += read.Length;
        if (_length > limit)
        {
            throw new FileTooLargeException(limit);
        }
        if (_headLength < _head.Length)
        {
            var take = Math.Min(read.Length, _head.Length - _headLength);
            read[..take].CopyTo(_head.AsSpan(_headLength));
            _headLength += take;
        }
        _sha256.AppendData(read);
    }

    /// <summary>Reads the rest of the stream (to hash it), in pooled chunks.</summary>
    public async Task ReadToEndAsync(CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            while (await ReadAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _length; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha256.Dispose();
        }
        base.Dispose(disposing);
    }
}
