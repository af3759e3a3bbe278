using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Matching;
using ServerlessInnovation.Domain.Startups;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Tests.Domain;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Api;

/// <summary>What the bureau tests share: applications decided at a carrier, requests with chosen credentials, Easy Auth principals.</summary>
internal static class BureauCalls
{
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";
    public const string RoleTyp = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";

    private static int _nextCarrier;

    /// <summary>A demo carrier in <paramref name="district"/> that admits <see cref="MatchesApiTests.Profile"/> and has room; a different one per call.</summary>
    public static Carrier AdmittingCarrier(string district)
    {
        var profile = new StartupProfile
        {
            Stage = StartupStage.Yellow, RegisteredOn = new DateOnly(2026, 3, 1), Industry = Industries.ArtificialIntelligence, TeamSize = 6,
            RdStaffSharePercent = 50, LastYearRevenueCny = 300_000, LastYearRdExpenseCny = 200_000, Space = SpaceNeed.Area(120),
        };
        var admitting = DemoCatalog.Hangzhou().Carriers
            .Where(c => c.DistrictCode == district && c.FreeAreaM2 >= 600 &&
                        Eligibility.Failures(c, profile, Build.Today, TechSmeAssessment.Assess(profile)).Count == 0)
            .ToList();
        Assert.NotEmpty(admitting);
        return admitting[Interlocked.Increment(ref _nextCarrier) % admitting.Count];
    }

    /// <summary>Submits an application for <paramref name="carrier"/> and decides it (accepted, the carrier having room).</summary>
    public static async Task<(string Id, string Token)> AcceptedAtAsync(ApiFactory factory, HttpClient client, Carrier carrier)
    {
        var submission = new JsonObject { ["profile"] = MatchesApiTests.Profile(), ["carrierIds"] = new JsonArray(carrier.Id) };
        using var response = await client.PostAsJsonAsync("/api/applications", submission);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        var body = JsonDocument.Parse(text).RootElement;
        var id = body.GetProperty("id").GetString()!;
        await factory.Services.GetRequiredService<ApplicationProcessor>().ProcessAsync([id], redelivered: false, CancellationToken.None);
        return (id, body.GetProperty("accessToken").GetString()!);
    }

    public static string ApplicationsPath(string carrierId, string query = "") => $"/api/bureau/carriers/{carrierId}/applications{query}";

    /// <summary>Sends a request with exactly the headers given (none of a bureau client's defaults).</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, params (string Name, string Value)[] headers) =>
        await SendAsync(client, HttpMethod.Get, path, headers);

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return await client.SendAsync(request);
    }

    /// <summary>An <c>X-MS-CLIENT-PRINCIPAL</c> value as App Service Authentication writes it, with these claims.</summary>
    public static string Principal(params (string Type, string Value)[] claims)
    {
        var json = new JsonObject
        {
            ["auth_typ"] = "aad",
            ["claims"] = new JsonArray([.. claims.Select(c => (JsonNode)new JsonObject { ["typ"] = c.Type, ["val"] = c.Value })]),
            ["name_typ"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
            ["role_typ"] = RoleTyp,
        };
        return Base64(json.ToJsonString());
    }

    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
