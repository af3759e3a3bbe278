namespace ServerlessInnovation.Storage;

/// <summary>
/// The <c>x-ms-version</c> each service client sends. Azurite accepts only an exact list of versions, so a value Azure
/// takes may still fail against the emulator: change these only together with the Azurite pin.
/// </summary>
internal static class StorageApiVersions
{
    /// <summary>The version Azure.Data.Tables sends; it also enables bearer tokens on Table.</summary>
    public const string Table = "2020-12-06";

    /// <summary>Blob: large block limits, bearer tokens, user delegation SAS with the 26-line string-to-sign.</summary>
    public const string Blob = "2025-11-05";

    /// <summary>Queue: bearer tokens and TTL -1 (never expire).</summary>
    public const string Queue = "2025-11-05";
}
