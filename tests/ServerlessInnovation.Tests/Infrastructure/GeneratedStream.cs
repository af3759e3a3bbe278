using System.Security.Cryptography;

namespace ServerlessInnovation.Tests.Infrastructure;

/// <summary>
/// A read-only, non-seekable stream of <c>length</c> deterministic pseudo-random bytes, made as they are read (nothing is
/// held in memory), with the SHA-256 and MD5 of what it produced — the stand-in for an upload from the network.
/// </summary>
public sealed class GeneratedStream(long length, int seed) : Stream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private ulong _state = 0x9E3779B97F4A7C15UL ^ (ulong)seed;
    private long _produced;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>The SHA-256 of the bytes read so far (all of them once the stream has ended).</summary>
    public byte[] Sha256() => _sha256.GetCurrentHash();

    public byte[] Md5() => _md5.GetCurrentHash();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, length - _produced);
        for (var i = 0; i < count; i++)
        {
            // xorshift64
            _state ^= _state << 13;
            _state ^= _state >> 7;
            _state ^= _state << 17;
            buffer[i] = (byte)_state;
        }
        _sha256.AppendData(buffer[..count]);
        _md5.AppendData(buffer[..count]);
        _produced += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush() => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha256.Dispose();
            _md5.Dispose();
        }
        base.Dispose(disposing);
    }
}
