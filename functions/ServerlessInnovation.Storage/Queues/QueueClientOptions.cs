namespace ServerlessInnovation.Storage.Queues;

/// <summary>
/// Options for <see cref="QueueServiceClient"/> and the <see cref="QueueClient"/> instances it creates: retries,
/// diagnostics and transport come from <see cref="Azure.Core.ClientOptions"/>.
/// </summary>
public sealed class QueueClientOptions : StorageClientOptions
{
    /// <summary>Creates options with Azure.Core's defaults and the Queue headers and query parameters made visible in logs and errors.</summary>
    /// <remarks>Pop receipts stay redacted: each one is a short-lived right to delete or change its message.</remarks>
    public QueueClientOptions()
    {
        foreach (var header in (string[])["x-ms-time-next-visible", "x-ms-approximate-messages-count"])
        {
            Diagnostics.LoggedHeaderNames.Add(header);
        }
        foreach (var parameter in (string[])["comp", "numofmessages", "peekonly", "visibilitytimeout", "messagettl"])
        {
            Diagnostics.LoggedQueryParameters.Add(parameter);
        }
    }

    /// <summary>
    /// How payloads are stored as message text: <see cref="QueueMessageEncoding.Base64"/> by default, which is what the Azure
    /// Functions queue trigger expects; <see cref="QueueMessageEncoding.None"/> for plain text
    /// (<c>extensions.queues.messageEncoding = none</c>). Producers and consumers of a queue must agree.
    /// </summary>
    public QueueMessageEncoding MessageEncoding { get; set; } = QueueMessageEncoding.Base64;
}
