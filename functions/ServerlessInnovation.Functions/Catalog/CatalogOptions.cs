using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ServerlessInnovation.Functions.Catalog;

/// <summary>Where the catalog lives and how often the in-memory copy checks for changes.</summary>
public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";
    private const string TableNamePattern = "^[A-Za-z][A-Za-z0-9]{2,62}$";

    /// <summary>Table of carriers: partition = district code, row = carrier id.</summary>
    [Required, RegularExpression(TableNamePattern)]
    public string CarrierTable { get; set; } = "Carriers";

    /// <summary>Table holding the catalog's version, bumped by every writer; the refresher polls this one entity.</summary>
    [Required, RegularExpression(TableNamePattern)]
    public string StateTable { get; set; } = "CatalogState";

    /// <summary>How often each instance checks the catalog version.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a request waits for the first load after a cold start before answering 503.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan FirstLoadWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Load the generated Hangzhou demo catalog when the carrier table is empty (local runs and demos only).</summary>
    public bool SeedDemoCatalogWhenEmpty { get; set; }
}

[OptionsValidator]
internal sealed partial class CatalogOptionsValidator : IValidateOptions<CatalogOptions>;
