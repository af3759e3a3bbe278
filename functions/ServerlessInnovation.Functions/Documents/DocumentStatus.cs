using ServerlessInnovation.Domain;

namespace ServerlessInnovation.Functions.Documents;

/// <summary>Where a document is in its life.</summary>
public enum DocumentStatus
{
    /// <summary>An upload URL was handed out; the file is not there yet (or not confirmed).</summary>
    AwaitingUpload = 1,

    /// <summary>Checked and waiting for ingestion.</summary>
    Queued = 2,

    /// <summary>Being read and applied.</summary>
    Ingesting = 3,

    /// <summary>Read and applied; the report says which rows were applied and which refused.</summary>
    Ingested = 4,

    /// <summary>The file could not be read as a catalog; nothing was applied; the report says why.</summary>
    Failed = 5,

    /// <summary>Kept (a document that is not read).</summary>
    Stored = 6,

    /// <summary>The file failed the checks (size, type, content); it was deleted.</summary>
    Rejected = 7,

    /// <summary>The same file (same SHA-256) was uploaded before: nothing was done again; see the earlier document.</summary>
    Duplicate = 8,
}

public static class DocumentStatuses
{
    public static readonly IReadOnlyList<DocumentStatus> All = Enum.GetValues<DocumentStatus>();

    public static string Code(this DocumentStatus status) => status switch
    {
        DocumentStatus.AwaitingUpload => "awaiting-upload",
        DocumentStatus.Queued => "queued",
        DocumentStatus.Ingesting => "ingesting",
        DocumentStatus.Ingested => "ingested",
        DocumentStatus.Failed => "failed",
        DocumentStatus.Stored => "stored",
        DocumentStatus.Rejected => "rejected",
        DocumentStatus.Duplicate => "duplicate",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static LocalizedText Name(this DocumentStatus status) => status switch
    {
        DocumentStatus.AwaitingUpload => new("等待上传", "Awaiting upload"),
        DocumentStatus.Queued => new("排队处理中", "Queued"),
        DocumentStatus.Ingesting => new("正在导入", "Being ingested"),
        DocumentStatus.Ingested => new("已导入", "Ingested"),
        DocumentStatus.Failed => new("导入失败", "Ingestion failed"),
        DocumentStatus.Stored => new("已存档", "Stored"),
        DocumentStatus.Rejected => new("文件未通过检查", "Rejected"),
        DocumentStatus.Duplicate => new("重复上传", "Duplicate"),
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? code, out DocumentStatus status)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Code(), code, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }
}
