using Azure.Core;

namespace ServerlessInnovation.Storage;

/// <summary>
/// What every storage client takes: retries, diagnostics and transport from <see cref="ClientOptions"/>, and the clock that
/// dates Shared Key requests and SAS tokens.
/// </summary>
public abstract class StorageClientOptions : ClientOptions
{
    /// <summary>Makes the storage response headers worth seeing visible in logs and in exception messages.</summary>
    protected StorageClientOptions()
    {
        // Azure.Core redacts headers not on this list, in logs and in RequestFailedException messages alike.
        foreach (var header in (string[])["x-ms-error-code", "x-ms-version", "x-ms-date", "x-ms-request-id"])
        {
            Diagnostics.LoggedHeaderNames.Add(header);
        }
    }

    /// <summary>The clock for <c>x-ms-date</c> and SAS start and expiry times; <see cref="TimeProvider.System"/> by default.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
