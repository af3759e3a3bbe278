namespace ServerlessInnovation.Functions.Documents;

/// <summary>The file formats bureaus may upload, told apart by their first bytes, never by the name or the claimed type.</summary>
public enum FileType
{
    Csv = 1,
    Xlsx = 2,
    Pdf = 3,
    Png = 4,
    Jpeg = 5,
}

public static class FileTypes
{
    /// <summary>Bytes needed by <see cref="Detect"/>.</summary>
    public const int HeadLength = 512;

    public static string Code(this FileType type) => type switch
    {
        FileType.Csv => "csv",
        FileType.Xlsx => "xlsx",
        FileType.Pdf => "pdf",
        FileType.Png => "png",
        FileType.Jpeg => "jpeg",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The format with this <see cref="Code"/>; null for none.</summary>
    public static FileType? Parse(string? code) =>
        Enum.GetValues<FileType>().Where(t => string.Equals(t.Code(), code, StringComparison.Ordinal)).Cast<FileType?>().FirstOrDefault();

    public static string ContentType(this FileType type) => type switch
    {
        FileType.Csv => "text/csv",
        FileType.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        FileType.Pdf => "application/pdf",
        FileType.Png => "image/png",
        FileType.Jpeg => "image/jpeg",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static string Extension(this FileType type) => type switch
    {
        FileType.Jpeg => ".jpg",
        _ => "." + type.Code(),
    };

    /// <summary>
    /// The type a client claims in <c>Content-Type</c>: the media type without parameters. Windows browsers send
    /// <c>application/vnd.ms-excel</c> (or <c>text/plain</c>) for a .csv file, so those count as CSV too.
    /// </summary>
    public static FileType? FromContentType(string? contentType)
    {
        var mediaType = (contentType ?? "").Split(';', 2)[0].Trim().ToLowerInvariant();
        return mediaType switch
        {
            "text/csv" or "application/csv" or "application/vnd.ms-excel" or "text/plain" => FileType.Csv,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => FileType.Xlsx,
            "application/pdf" => FileType.Pdf,
            "image/png" => FileType.Png,
            "image/jpeg" or "image/jpg" => FileType.Jpeg,
            _ => null,
        };
    }

    /// <summary>The <c>charset</c> parameter of a content type, if any, lower case.</summary>
    public static string? Charset(string? contentType)
    {
        foreach (var parameter in (contentType ?? "").Split(';').Skip(1))
        {
            var pair = parameter.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length == 2 && pair[0].Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                return pair[1].Trim('"').ToLowerInvariant();
            }
        }
        return null;
    }

    /// <summary>
    /// What the first bytes say the file is: the signatures of ZIP (an XLSX is a ZIP; its inside is checked when it is
    /// read), PDF, PNG and JPEG; text without NUL bytes or other control bytes is CSV. Null for anything else.
    /// </summary>
    public static FileType? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            return FileType.Xlsx;
        }
        if (head.StartsWith("%PDF-"u8))
        {
            return FileType.Pdf;
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return FileType.Png;
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return FileType.Jpeg;
        }
        if (head.IsEmpty)
        {
            return null;
        }
        foreach (var b in head)
        {
            // Text: no control bytes other than tab, line feed, carriage return (and the form feed some exports add).
            if (b < 0x20 && b is not (byte)'\t' and not (byte)'\n' and not (byte)'\r' and not 0x0C)
            {
                return null;
            }
        }
        return FileType.Csv;
    }
}
