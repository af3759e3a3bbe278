using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessInnovation.Storage;

/// <summary>
/// Authorizes a request with a shared access signature by appending it to the query. A per-call policy, so it runs once
/// per operation however often the request is retried; the signature is read at send time, so rotating the
/// <see cref="AzureSasCredential"/> takes effect on the next operation.
/// </summary>
internal sealed class StorageSasPipelinePolicy(AzureSasCredential credential) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var sas = credential.Signature.TrimStart('?');
        var query = message.Request.Uri.Query;
        message.Request.Uri.Query = string.IsNullOrEmpty(query) ? "?" + sas : query + "&" + sas;
    }
}
