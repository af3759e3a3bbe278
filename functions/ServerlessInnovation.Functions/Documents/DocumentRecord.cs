using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Functions.Documents;

/// <summary>What an ingestion found: rows read, applied and refused.</summary>
public sealed record IngestionCounts(int Rows, int Applied, int Refused);

/// <summary>
/// A document a bureau uploaded, as stored: partition = the bureau's code (a bureau lists only its own), row = the id,
/// which sorts newest first. The file is the blob <see cref="SourceBlob"/>; a catalog's report sits beside it.
/// </summary>
public sealed record DocumentRecord
{
    public required string Bureau { get; init; }
    public required string Id { get; init; }
    public required DocumentKind Kind { get; init; }
    /// <summary>The file's name as the bureau gave it, made safe to show (see <see cref="FileNames.Sanitise"/>).</summary>
    public required string FileName { get; init; }
    /// <summary>The <c>Content-Type</c> the uploader declared.</summary>
    public required string DeclaredContentType { get; init; }
    /// <summary>The size the uploader declared for an upload URL.</summary>
    public long? DeclaredSize { get; init; }
    /// <summary>The carrier a non-catalog document is about, if any.</summary>
    public string? CarrierId { get; init; }
    public required DocumentStatus Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Who uploaded it, as the bureau's credential names them.</summary>
    public string? UploadedBy { get; init; }
    public DateTimeOffset? UploadedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>The checked file: its size, detected format, SHA-256 (hex) and blob ETag.</summary>
    public long? Size { get; init; }
    public FileType? Type { get; init; }
    public string? Sha256 { get; init; }
    public string? BlobETag { get; init; }
    /// <summary>A duplicate's earlier document with the same content.</summary>
    public string? DuplicateOf { get; init; }
    /// <summary>Why it was rejected or failed, with a stable code.</summary>
    public string? ProblemCode { get; init; }
    public LocalizedText? Problem { get; init; }
    public IngestionCounts? Counts { get; init; }
    public bool HasReport { get; init; }
    public ETag ETag { get; init; }

    public string SourceBlob => SourceBlobOf(Bureau, Id);

    public string ReportBlob => $"{Bureau}/{Id}/report.json";

    /// <summary>The refused rows as CSV (formula-safe), for a bureau to fix in Excel.</summary>
    public string RefusedRowsBlob => $"{Bureau}/{Id}/refused-rows.csv";

    public static string SourceBlobOf(string bureau, string id) => $"{bureau}/{id}/source";

    private const long MaxUnixMilliseconds = 9_999_999_999_999;

    /// <summary>A new id: 13 digits that count down with time (so ids sort newest first), a dash, 64 random bits in hex.</summary>
    public static string NewId(DateTimeOffset now) =>
        (MaxUnixMilliseconds - now.ToUnixTimeMilliseconds()).ToString("D13", CultureInfo.InvariantCulture) + "-" +
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static bool IsValidId(string? id) =>
        id is { Length: 30 } && id[13] == '-' && id[..13].All(char.IsAsciiDigit) && id[14..].All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    public TableEntity ToEntity() => new(Bureau, Id)
    {
        ["Kind"] = Kind.Code(),
        ["FileName"] = FileName,
        ["DeclaredContentType"] = DeclaredContentType,
        ["DeclaredSize"] = DeclaredSize,
        ["CarrierId"] = CarrierId,
        ["Status"] = Status.Code(),
        ["CreatedAt"] = CreatedAt,
        ["UploadedBy"] = UploadedBy,
        ["UploadedAt"] = UploadedAt,
        ["FinishedAt"] = FinishedAt,
        ["Size"] = Size,
        ["Type"] = Type?.Code(),
        ["Sha256"] = Sha256,
        ["BlobETag"] = BlobETag,
        ["DuplicateOf"] = DuplicateOf,
        ["ProblemCode"] = ProblemCode,
        ["ProblemZh"] = Problem?.Zh,
        ["ProblemEn"] = Problem?.En,
        ["Rows"] = Counts?.Rows,
        ["Applied"] = Counts?.Applied,
        ["Refused"] = Counts?.Refused,
        ["HasReport"] = HasReport,
    };

    public static DocumentRecord FromEntity(TableEntity entity)
    {
        if (!DocumentKinds.TryParse(entity.GetString("Kind"), out var kind) || !DocumentStatuses.TryParse(entity.GetString("Status"), out var status))
        {
            throw new FormatException($"Document {entity.PartitionKey}/{entity.RowKey} has an unknown kind or status.");
        }
        var rows = entity.GetInt32("Rows");
        return new DocumentRecord
        {
            Bureau = entity.PartitionKey,
            Id = entity.RowKey,
            Kind = kind,
            FileName = entity.GetString("FileName") ?? "",
            DeclaredContentType = entity.GetString("DeclaredContentType") ?? "",
            DeclaredSize = entity.GetInt64("DeclaredSize"),
            CarrierId = entity.GetString("CarrierId"),
            Status = status,
            CreatedAt = entity.GetDateTimeOffset("CreatedAt") ?? default,
            UploadedBy = entity.GetString("UploadedBy"),
            UploadedAt = entity.GetDateTimeOffset("UploadedAt"),
            FinishedAt = entity.GetDateTimeOffset("FinishedAt"),
            Size = entity.GetInt64("Size"),
            Type = FileTypes.Parse(entity.GetString("Type")),
            Sha256 = entity.GetString("Sha256"),
            BlobETag = entity.GetString("BlobETag"),
            DuplicateOf = entity.GetString("DuplicateOf"),
            ProblemCode = entity.GetString("ProblemCode"),
            Problem = entity.GetString("ProblemZh") is { } zh ? new LocalizedText(zh, entity.GetString("ProblemEn") ?? "") : null,
            Counts = rows is { } r ? new IngestionCounts(r, entity.GetInt32("Applied") ?? 0, entity.GetInt32("Refused") ?? 0) : null,
            HasReport = entity.GetBoolean("HasReport") ?? false,
            ETag = entity.ETag,
        };
    }
}

/// <summary>File names as bureaus send them, made safe to store and show.</summary>
public static class FileNames
{
    public const int MaxLength = 120;

    /// <summary>
    /// The last path segment (either separator), without control or format characters (which includes the
    /// right-to-left override that disguises <c>exe.pdf</c>), whitespace collapsed, leading and trailing dots and spaces
    /// removed, at most <see cref="MaxLength"/> characters with the extension kept; <c>document</c> when nothing is left.
    /// </summary>
    public static string Sanitise(string? name)
    {
        var text = name ?? "";
        var lastSeparator = text.LastIndexOfAny(['/', '\\']);
        text = text[(lastSeparator + 1)..];
        var builder = new StringBuilder(Math.Min(text.Length, MaxLength * 2));
        var lastWasSpace = false;
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                continue;
            }
            var isSpace = Rune.IsWhiteSpace(rune);
            if (isSpace && lastWasSpace)
            {
                continue;
            }
            builder.Append(isSpace ? " " : rune.ToString());
            lastWasSpace = isSpace;
        }
        var clean = builder.ToString().Trim(' ', '.');
        if (clean.Length > MaxLength)
        {
            var extension = Path.GetExtension(clean);
            extension = extension.Length is > 1 and <= 10 ? extension : "";
            var stem = clean[..(MaxLength - extension.Length)];
            // Never cut a surrogate pair in half.
            if (char.IsHighSurrogate(stem[^1]))
            {
                stem = stem[..^1];
            }
            clean = stem.TrimEnd(' ', '.') + extension;
        }
        return clean.Length == 0 ? "document" : clean;
    }
}
