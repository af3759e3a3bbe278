using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Functions.Documents;
using ServerlessInnovation.Functions.GetSignedInBureau;
using ServerlessInnovation.Functions.Health;
using ServerlessInnovation.Functions.ListCarrierApplications;
using ServerlessInnovation.Functions.ListCarriers;
using ServerlessInnovation.Functions.MatchCarriers;
using ServerlessInnovation.Functions.Statistics;

namespace ServerlessInnovation.Functions.Http;

/// <summary>
/// Source-generated JSON for every request and response of the API. Reading is strict: exact camelCase names,
/// no unknown or duplicate members, numbers as numbers.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNameCaseInsensitive = false,
    NumberHandling = JsonNumberHandling.Strict,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    MaxDepth = RequestLimits.JsonMaxDepth)]
[JsonSerializable(typeof(MatchRequest))]
[JsonSerializable(typeof(MatchResponse))]
[JsonSerializable(typeof(CarrierPage))]
[JsonSerializable(typeof(CarrierDetail))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(SubmitApplicationRequest))]
[JsonSerializable(typeof(SubmittedApplication))]
[JsonSerializable(typeof(ApplicationView))]
[JsonSerializable(typeof(CarrierApplications))]
[JsonSerializable(typeof(DocumentUploadRequest))]
[JsonSerializable(typeof(DocumentUploadTicket))]
[JsonSerializable(typeof(DocumentView))]
[JsonSerializable(typeof(DocumentPage))]
[JsonSerializable(typeof(StatisticsView))]
[JsonSerializable(typeof(SignedInBureau))]
internal sealed partial class ApiJsonContext : JsonSerializerContext
{
    /// <summary>Chinese and other non-ASCII text as UTF-8, not as <c>\uXXXX</c>; HTML-sensitive characters stay escaped.</summary>
    public static JavaScriptEncoder Encoder { get; } = JavaScriptEncoder.Create(UnicodeRanges.All);

    /// <summary>The context the API uses: the generated options with <see cref="Encoder"/>.</summary>
    public static ApiJsonContext Api => field ??= new(new JsonSerializerOptions(Default.Options) { Encoder = Encoder });
}
