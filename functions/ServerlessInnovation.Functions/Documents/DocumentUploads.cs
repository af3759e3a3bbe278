using ServerlessInnovation.Domain;
using ServerlessInnovation.Functions.Bureaus;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Functions.Http;

namespace ServerlessInnovation.Functions.Documents;

/// <summary>What both ways of uploading check before a byte is stored: kind, file name, declared type and size, and the carrier.</summary>
public static class DocumentUploads
{
    public const int MaxRawFileNameLength = 1024;
    public const int MaxContentTypeLength = 200;

    public static (DocumentKind Kind, string FileName, string ContentType, string? CarrierId)? Validate(
        string? kindCode, string? fileName, string? contentType, string? carrierId, Bureau bureau, LiveCatalog catalog, FieldErrors errors)
    {
        DocumentKind kind = default;
        if (string.IsNullOrEmpty(kindCode))
        {
            errors.Required("kind");
        }
        else if (!DocumentKinds.TryParse(kindCode, out kind))
        {
            errors.UnknownCode("kind", DocumentKinds.Codes);
        }
        if (string.IsNullOrWhiteSpace(fileName))
        {
            errors.Required("fileName");
        }
        else if (fileName.Length > MaxRawFileNameLength)
        {
            errors.Add("fileName", "too-long", new($"文件名不能超过{MaxRawFileNameLength}个字符", $"The file name must not exceed {MaxRawFileNameLength} characters"));
        }
        var type = FileTypes.FromContentType(contentType);
        if (string.IsNullOrWhiteSpace(contentType))
        {
            errors.Required("contentType");
        }
        else if (contentType.Length > MaxContentTypeLength)
        {
            errors.Add("contentType", "too-long", new($"内容类型不能超过{MaxContentTypeLength}个字符", $"The content type must not exceed {MaxContentTypeLength} characters"));
        }
        else if (type is null || (kind != default && !kind.Formats().Contains(type.Value)))
        {
            var allowed = kind != default ? kind.Formats() : [.. Enum.GetValues<FileType>()];
            errors.Add("contentType", "unsupported-type", new(
                $"不支持的文件类型，可用：{string.Join("、", allowed.Select(f => f.ContentType()))}",
                $"Unsupported file type; use one of: {string.Join(", ", allowed.Select(f => f.ContentType()))}"));
        }
        if (carrierId is not null)
        {
            if (kind == DocumentKind.Catalog)
            {
                errors.Add("carrierId", "not-allowed", new("载体名录不能关联到单个载体", "A catalog is not attached to one carrier"));
            }
            else if (catalog.Current?.Index.Find(carrierId) is not { } carrier)
            {
                errors.Add("carrierId", "unknown-carrier", new("没有这个孵化载体", "There is no such carrier"));
            }
            else if (!bureau.Covers(carrier.DistrictCode))
            {
                errors.Add("carrierId", "outside-jurisdiction", new("该载体不在本局管辖范围内", "The carrier is outside this bureau's jurisdiction"));
            }
        }
        return errors.Any ? null : (kind, FileNames.Sanitise(fileName), contentType!.Trim(), carrierId);
    }

    public static DocumentRecord NewDocument(Bureau bureau, (DocumentKind Kind, string FileName, string ContentType, string? CarrierId) upload,
        long? declaredSize, string? uploadedBy, DateTimeOffset now) => new()
    {
        Bureau = bureau.Code,
        Id = DocumentRecord.NewId(now),
        Kind = upload.Kind,
        FileName = upload.FileName,
        DeclaredContentType = upload.ContentType,
        DeclaredSize = declaredSize,
        CarrierId = upload.CarrierId,
        Status = DocumentStatus.AwaitingUpload,
        CreatedAt = now,
        UploadedBy = uploadedBy is { Length: > 0 } name ? FileNames.Sanitise(name) : null,
    };

    /// <summary>The answer to a file that was taken in: 202 while it waits for ingestion, 200 once done, 422 when rejected.</summary>
    public static IResult Answer(DocumentRecord document, HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        var view = DocumentView.From(document);
        return document.Status switch
        {
            DocumentStatus.Rejected => DocumentProblems.Rejected(document),
            DocumentStatus.Queued or DocumentStatus.Ingesting => TypedResults.Json(view, ApiJsonContext.Api.DocumentView, statusCode: StatusCodes.Status202Accepted),
            _ => TypedResults.Json(view, ApiJsonContext.Api.DocumentView),
        };
    }
}
