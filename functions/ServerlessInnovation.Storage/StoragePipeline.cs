using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessInnovation.Storage;

/// <summary>
/// The one way every storage client builds its <see cref="HttpPipeline"/>: Azure.Core's retries and diagnostics, the
/// storage error parser, <see cref="StorageResponseClassifier"/>, and the credential's policy — Shared Key and bearer per
/// retry (each try is re-dated, re-signed or re-checked for token expiry), a SAS once per call.
/// </summary>
internal static class StoragePipeline
{
    /// <summary>The Microsoft Entra ID scope of Azure Storage.</summary>
    public const string StorageScope = "https://storage.azure.com/.default";

    public static HttpPipeline Build(StorageClientOptions options, StorageSharedKeyCredential credential, Func<StorageSharedKeyCredential, TimeProvider, HttpPipelinePolicy> signer) =>
        Build(options, perCallPolicy: null, perRetryPolicy: signer(credential, options.TimeProvider));

    public static HttpPipeline Build(StorageClientOptions options, TokenCredential credential) =>
        Build(options, perCallPolicy: null, perRetryPolicy: new BearerTokenAuthenticationPolicy(credential, StorageScope));

    public static HttpPipeline Build(StorageClientOptions options, AzureSasCredential credential) =>
        Build(options, perCallPolicy: new StorageSasPipelinePolicy(credential), perRetryPolicy: null);

    private static HttpPipeline Build(StorageClientOptions options, HttpPipelinePolicy? perCallPolicy, HttpPipelinePolicy? perRetryPolicy)
    {
        var pipelineOptions = new HttpPipelineOptions(options)
        {
            RequestFailedDetailsParser = StorageRequestFailedDetailsParser.Instance,
            ResponseClassifier = StorageResponseClassifier.Instance,
        };
        if (perCallPolicy is not null)
        {
            pipelineOptions.PerCallPolicies.Add(perCallPolicy);
        }
        if (perRetryPolicy is not null)
        {
            pipelineOptions.PerRetryPolicies.Add(perRetryPolicy);
        }
        return HttpPipelineBuilder.Build(pipelineOptions);
    }

    /// <summary>An absolute http(s) endpoint without query or fragment (a SAS goes in an <see cref="AzureSasCredential"/>).</summary>
    public static Uri ValidateEndpoint(Uri endpoint, string service)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"The {service} endpoint must be an absolute http or https URI.", nameof(endpoint));
        }
        if (endpoint.Query.Length > 0 || endpoint.Fragment.Length > 0)
        {
            throw new ArgumentException(
                $"The {service} endpoint must not have a query; pass a shared access signature as an AzureSasCredential.", nameof(endpoint));
        }
        return endpoint;
    }
}
