using ServerlessInnovation.Domain;

namespace ServerlessInnovation.Functions.Spreadsheets;

/// <summary>
/// A read-only view of one decompressing part of an XLSX package that counts the bytes it gives out and refuses to go
/// past a cap, whatever the zip header claims. It also refuses a run of more than <see cref="MaxBytesBetweenTags"/>
/// without a <c>&lt;</c>, so that no single XML name, attribute or text node can make the XML parser buffer megabytes.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long maxBytes, string partName) : Stream
{
    /// <summary>Far above any honest cell (Excel's 32,767 characters are at most 128 KiB of UTF-8) or tag.</summary>
    public const int MaxBytesBetweenTags = 1024 * 1024;

    // Reads are cut to this size so that every gap between two '<' inside one read is shorter than the limit.
    private const int MaxReadBytes = 64 * 1024;

    private long _total;
    private long _sinceTag;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _total; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer[..Math.Min(buffer.Length, MaxReadBytes)]);
        _total += read;
        if (_total > maxBytes)
        {
            throw new SpreadsheetException(SpreadsheetErrorCodes.PartTooLarge, new LocalizedText(
                $"文件中的 {partName} 解压后超过 {maxBytes / (1024 * 1024):N0} MiB，疑似压缩炸弹或表格过大",
                $"{partName} decompresses to more than {maxBytes / (1024 * 1024):N0} MiB: a zip bomb, or a sheet far too large"));
        }
        var chunk = buffer[..read];
        var first = chunk.IndexOf((byte)'<');
        if (first < 0)
        {
            _sinceTag += read;
        }
        else
        {
            _sinceTag += first;
            if (_sinceTag <= MaxBytesBetweenTags)
            {
                _sinceTag = read - chunk.LastIndexOf((byte)'<') - 1;
            }
        }
        if (_sinceTag > MaxBytesBetweenTags)
        {
            throw new SpreadsheetException(SpreadsheetErrorCodes.MalformedXml, new LocalizedText(
                $"文件中的 {partName} 含有超过 1 MiB 的单个 XML 片段，不是正常的表格内容",
                $"{partName} holds a single XML token longer than 1 MiB, which no honest sheet has"));
        }
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
