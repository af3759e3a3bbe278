namespace ServerlessInnovation.Storage.Blobs;

/// <summary>
/// Options for <see cref="BlobServiceClient"/> and the container, blob and lease clients it creates: retries, diagnostics
/// and transport come from <see cref="Azure.Core.ClientOptions"/>, the clock from <see cref="StorageClientOptions"/>.
/// </summary>
public sealed class BlobClientOptions : StorageClientOptions
{
    /// <summary>Creates options with Azure.Core's defaults and the Blob headers and query parameters made visible in logs and errors.</summary>
    public BlobClientOptions()
    {
        // Never the lease id or the SAS signature: both grant access.
        foreach (var header in (string[])["x-ms-blob-type", "x-ms-range", "Content-Range", "Content-MD5", "x-ms-blob-content-md5",
                     "x-ms-blob-content-type", "x-ms-lease-action", "x-ms-lease-duration", "x-ms-lease-state", "x-ms-lease-status", "x-ms-lease-time"])
        {
            Diagnostics.LoggedHeaderNames.Add(header);
        }
        foreach (var parameter in (string[])["restype", "comp", "blockid", "prefix", "maxresults", "marker", "include"])
        {
            Diagnostics.LoggedQueryParameters.Add(parameter);
        }
    }
}
