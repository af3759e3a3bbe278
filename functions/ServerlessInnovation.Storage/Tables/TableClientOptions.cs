using Azure.Core;

namespace ServerlessInnovation.Storage.Tables;

/// <summary>
/// Options for <see cref="TableServiceClient"/> and the <see cref="TableClient"/> instances it creates: retries,
/// diagnostics and transport come from <see cref="ClientOptions"/>.
/// </summary>
public sealed class TableClientOptions : ClientOptions
{
    /// <summary>Creates options with Azure.Core's defaults and the Table response headers made visible in logs and errors.</summary>
    public TableClientOptions()
    {
        // Azure.Core redacts headers not on this list, in logs and in RequestFailedException messages alike.
        foreach (var header in (string[])["x-ms-error-code", "x-ms-version", "x-ms-date", "DataServiceVersion", "Preference-Applied",
                     "x-ms-continuation-NextPartitionKey", "x-ms-continuation-NextRowKey"])
        {
            Diagnostics.LoggedHeaderNames.Add(header);
        }
    }

    /// <summary>The clock for the <c>x-ms-date</c> header of Shared Key requests; <see cref="TimeProvider.System"/> by default.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
