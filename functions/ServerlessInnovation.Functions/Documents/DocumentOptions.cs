using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ServerlessInnovation.Functions.Documents;

/// <summary>Where bureau documents live, how big they may be, and how long the URLs handed out for them last.</summary>
public sealed class DocumentOptions
{
    public const string SectionName = "Documents";

    /// <summary>The app setting that names the ingestion queue (function.json reads it as <c>%DocumentsQueue%</c>).</summary>
    public const string QueueSetting = "DocumentsQueue";

    public const long MiB = 1024 * 1024;

    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string DocumentTable { get; set; } = "Documents";

    /// <summary>The blob container of originals and ingestion reports.</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string Container { get; set; } = "documents";

    /// <summary>Largest file a browser may upload through an upload URL.</summary>
    [Range(1, 5000 * MiB)]
    public long MaxUploadBytes { get; set; } = 100 * MiB;

    /// <summary>Largest file sent through the API itself (<c>POST /api/bureau/documents</c>).</summary>
    [Range(1, 28 * MiB)]
    public long MaxDirectUploadBytes { get; set; } = 20 * MiB;

    /// <summary>How long an upload URL can be used (it is write-once: it cannot replace a blob that exists).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan UploadUrlLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a download URL (original or report) can be used.</summary>
    [Range(typeof(TimeSpan), "00:00:30", "01:00:00")]
    public TimeSpan DownloadUrlLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most data rows a catalog spreadsheet may have; a longer file is refused whole, before anything is applied.</summary>
    [Range(1, 1_000_000)]
    public int MaxCatalogRows { get; set; } = 50_000;

    /// <summary>Most refused rows listed one by one in a report (all are counted).</summary>
    [Range(1, 1_000_000)]
    public int MaxReportedRowErrors { get; set; } = 10_000;

    /// <summary>Entity-group transactions in flight at once while a catalog is applied.</summary>
    [Range(1, 32)]
    public int IngestionConcurrency { get; set; } = 4;
}

[OptionsValidator]
internal sealed partial class DocumentOptionsValidator : IValidateOptions<DocumentOptions>;
