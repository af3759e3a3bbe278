using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ServerlessInnovation.Functions.Documents;

/// <summary>Where bureau documents live, how big they may be, and how long the URLs handed out for them last.</summary>
public sealed class DocumentOptions : IValidatableObject
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

    /// <summary>
    /// Origins of the pages that write files straight to Blob storage and read reports from it (the bureau pages), as
    /// <c>scheme://host[:port]</c> without a path, e.g. <c>http://localhost:7071</c>. When not empty, the app makes sure
    /// once per process, before its first document operation, that the Blob service has a CORS rule for them (PUT, GET,
    /// HEAD, OPTIONS; the upload's headers; see <see cref="BrowserUploadCors"/>), adding it beside any other rules.
    /// For running locally and in tests: <b>in Azure this stays empty</b>, since the infrastructure (Bicep) sets the storage
    /// account's CORS rules and the app's identity has no right to change the account's service properties.
    /// </summary>
    public string[] BrowserUploadOrigins { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in BrowserUploadOrigins)
        {
            if (!BrowserUploadCors.IsOrigin(origin))
            {
                yield return new ValidationResult(
                    $"{SectionName}:{nameof(BrowserUploadOrigins)}: '{origin}' is not an origin: write it as http(s)://host[:port], without a path, query or trailing slash.",
                    [nameof(BrowserUploadOrigins)]);
            }
        }
        if (BrowserUploadOrigins.Length > BrowserUploadCors.MaxOrigins)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(BrowserUploadOrigins)}: at most {BrowserUploadCors.MaxOrigins} origins.", [nameof(BrowserUploadOrigins)]);
        }
    }
}

[OptionsValidator]
internal sealed partial class DocumentOptionsValidator : IValidateOptions<DocumentOptions>;
