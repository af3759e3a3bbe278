namespace ServerlessInnovation.Storage.Tables;

/// <summary>
/// Options for <see cref="TableServiceClient"/> and the <see cref="TableClient"/> instances it creates: retries,
/// diagnostics and transport come from <see cref="Azure.Core.ClientOptions"/>.
/// </summary>
public sealed class TableClientOptions : StorageClientOptions
{
    /// <summary>Creates options with Azure.Core's defaults and the Table response headers made visible in logs and errors.</summary>
    public TableClientOptions()
    {
        foreach (var header in (string[])["DataServiceVersion", "Preference-Applied", "x-ms-continuation-NextPartitionKey", "x-ms-continuation-NextRowKey"])
        {
            Diagnostics.LoggedHeaderNames.Add(header);
        }
    }
}
