using System.Buffers;
using System.Text;
using ServerlessInnovation.Domain;

namespace ServerlessInnovation.Functions.Spreadsheets;

/// <summary>
/// Which text encoding an uploaded CSV is in. Excel on Chinese Windows saves "CSV" in GB18030 (GBK), and "CSV UTF-8"
/// in UTF-8 with a BOM; other tools write UTF-8 without one. Decoding is always strict: a byte that does not belong
/// to the encoding is an error, never a replacement character.
/// </summary>
public static class CsvEncoding
{
    private const int ChunkBytes = 64 * 1024;
    private const int Gb18030CodePage = 54936;

    /// <summary>Strict UTF-8: throws on invalid bytes.</summary>
    public static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Strict GB18030, the superset of GBK and GB2312.</summary>
    public static Encoding Gb18030 { get; } =
        CodePagesEncodingProvider.Instance.GetEncoding(Gb18030CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
        ?? throw new PlatformNotSupportedException("GB18030 (code page 54936) is not available.");

    /// <summary>
    /// Scans <paramref name="stream"/> from its start and rewinds it. A UTF-8 BOM, or bytes that are valid UTF-8
    /// throughout, mean UTF-8; a UTF-16 BOM means UTF-16; anything else is GB18030. When the uploader declared an
    /// encoding it is used as declared, and a declared (or BOM-marked) UTF-8 file that is not UTF-8 is refused with
    /// the offset of the first bad byte. Binary content (a NUL byte outside UTF-16) is refused as not a spreadsheet.
    /// </summary>
    public static Encoding Detect(Stream stream, Encoding? declared = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var declaredUtf8 = declared is not null && declared.CodePage == Encoding.UTF8.CodePage;
        stream.Position = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes + 4);
        var chars = ArrayPool<char>.Shared.Rent(ChunkBytes + 4);
        try
        {
            var headLength = stream.ReadAtLeast(buffer.AsSpan(0, 3), 3, throwOnEndOfStream: false);
            var head = buffer.AsSpan(0, headLength);
            var utf8Bom = head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
            var utf16 = head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) ? new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true)
                : head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) ? new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true)
                : null;
            if (utf16 is not null)
            {
                if (declared is not null && !declared.CodePage.Equals(utf16.CodePage))
                {
                    throw NotDeclared(declared, declaredUtf8, 0);
                }
                return utf16;
            }
            if (declared is not null && !declaredUtf8)
            {
                return Strictly(declared);
            }

            // One pass: validate UTF-8 (carrying an incomplete sequence across chunks) and look for NUL bytes.
            stream.Position = 0;
            long? firstInvalid = null;
            long validated = 0;
            var carry = 0;
            while (true)
            {
                var read = stream.Read(buffer, carry, ChunkBytes);
                if (buffer.AsSpan(carry, read).Contains((byte)0))
                {
                    throw new SpreadsheetException(SpreadsheetErrorCodes.NotASpreadsheet, new(
                        "文件含有二进制内容，不是 CSV 或 Excel 表格",
                        "The file holds binary content; it is neither a CSV nor an Excel workbook"));
                }
                var available = carry + read;
                var final = read == 0;
                carry = 0;
                if (firstInvalid is null)
                {
                    var status = System.Text.Unicode.Utf8.ToUtf16(buffer.AsSpan(0, available), chars, out var bytesRead, out _,
                        replaceInvalidSequences: false, isFinalBlock: final);
                    validated += bytesRead;
                    if (status == OperationStatus.InvalidData)
                    {
                        firstInvalid = validated;
                        if (declaredUtf8 || utf8Bom)
                        {
                            break;
                        }
                    }
                    else if (status == OperationStatus.NeedMoreData)
                    {
                        carry = available - bytesRead;
                        buffer.AsSpan(bytesRead, carry).CopyTo(buffer);
                    }
                }
                if (final)
                {
                    break;
                }
            }

            if (firstInvalid is null)
            {
                return Utf8;
            }
            if (declaredUtf8 || utf8Bom)
            {
                throw NotDeclared(Encoding.UTF8, isUtf8: true, firstInvalid.Value, utf8Bom && !declaredUtf8);
            }
            return Gb18030;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<char>.Shared.Return(chars);
            stream.Position = 0;
        }
    }

    private static Encoding Strictly(Encoding declared)
    {
        var strict = (Encoding)declared.Clone();
        strict.DecoderFallback = DecoderFallback.ExceptionFallback;
        return strict;
    }

    private static SpreadsheetException NotDeclared(Encoding declared, bool isUtf8, long offset, bool byBom = false)
    {
        if (isUtf8)
        {
            var why = byBom ? new LocalizedText("文件开头标明为 UTF-8", "The file starts with a UTF-8 byte order mark")
                : new LocalizedText("上传时声明为 UTF-8", "The upload was declared UTF-8");
            return new SpreadsheetException(SpreadsheetErrorCodes.NotUtf8, new(
                $"{why.Zh}，但从第 {offset:N0} 字节（从 0 起算）起不是有效的 UTF-8，可能是 GBK/GB18030 编码。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重新上传",
                $"{why.En}, but the bytes from offset {offset:N0} (counting from 0) are not valid UTF-8; it may be GBK/GB18030. Save it from Excel as \"CSV UTF-8 (Comma delimited)\" and upload again"))
            {
                ByteOffset = offset,
            };
        }
        return new SpreadsheetException(SpreadsheetErrorCodes.BadEncoding, new(
            $"上传时声明的编码为 {declared.WebName}，但文件以 UTF-16 字节顺序标记开头",
            $"The upload was declared {declared.WebName}, but the file starts with a UTF-16 byte order mark"))
        {
            ByteOffset = offset,
        };
    }
}
