using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessInnovation.Functions.Hosting;
using ServerlessInnovation.Tests.Infrastructure;
using static ServerlessInnovation.Tests.Api.BureauCalls;

namespace ServerlessInnovation.Tests.Api;

/// <summary>Who may see a carrier's applications, by API key, on an app without App Service Authentication.</summary>
public sealed partial class BureauApiTests(DemoApp app) : IClassFixture<DemoApp>
{
    private const string KeyHeader = ApiFactory.BureauKeyHeader;

    private string KeyOf(string bureau) => app.Factory.BureauKeys[bureau];

    [Fact]
    public async Task AnAnonymousCallerIsAskedForBureauCredentials()
    {
        var carrier = AdmittingCarrier("xihu");

        using var response = await SendAsync(app.Client, ApplicationsPath(carrier.Id));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "bureau-credentials-required");
        Assert.Contains("X-Bureau-Key", problem.GetProperty("detailEn").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("BureauKey", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task AStartupIsNoBureauWithItsTokenInEitherHeader()
    {
        var carrier = AdmittingCarrier("xihu");
        var (_, token) = await AcceptedAtAsync(app.Factory, app.Client, carrier);

        using var asApplicant = await SendAsync(app.Client, ApplicationsPath(carrier.Id), ("X-Application-Token", token));
        using var asKey = await SendAsync(app.Client, ApplicationsPath(carrier.Id), (KeyHeader, token));

        await Problem.AssertAsync(asApplicant, HttpStatusCode.Unauthorized, "bureau-credentials-required");
        await Problem.AssertAsync(asKey, HttpStatusCode.Unauthorized, "bureau-credentials-invalid");
        Assert.NotEmpty(asKey.Headers.WwwAuthenticate);
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData("hangzhou")]
    public async Task AKeyThatIsNoBureausIsInvalid(string key)
    {
        // "hangzhou" is a bureau's code, not its key.
        using var response = await SendAsync(app.Client, ApplicationsPath(AdmittingCarrier("xihu").Id), (KeyHeader, key));

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "bureau-credentials-invalid");
    }

    [Fact]
    public async Task AnOverlongKeyIsInvalidNotAnError()
    {
        using var response = await SendAsync(app.Client, ApplicationsPath(AdmittingCarrier("xihu").Id), (KeyHeader, KeyOf("xihu") + new string('A', 20 * 1024)));

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "bureau-credentials-invalid");
    }

    [Fact]
    public async Task TwoKeysInOneRequestAreInvalidEvenIfOneIsRight()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ApplicationsPath(AdmittingCarrier("xihu").Id));
        request.Headers.Add(KeyHeader, [KeyOf("xihu"), "wrong"]);
        using var response = await app.Client.SendAsync(request);

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "bureau-credentials-invalid");
    }

    [Fact]
    public async Task AnotherDistrictsBureauMayNotSeeTheCarrier()
    {
        var carrier = AdmittingCarrier("xihu");
        await AcceptedAtAsync(app.Factory, app.Client, carrier);

        using var response = await SendAsync(app.Client, ApplicationsPath(carrier.Id), (KeyHeader, KeyOf("binjiang")));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.Forbidden, "outside-jurisdiction");
        Assert.Contains("西湖区", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("滨江区科学技术局", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("applicationId", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ItsDistrictsBureauSeesTheApplicationWithItsStatusAndNothingOfTheApplicant()
    {
        var carrier = AdmittingCarrier("xihu");
        var (id, token) = await AcceptedAtAsync(app.Factory, app.Client, carrier);

        using var response = await SendAsync(app.Client, ApplicationsPath(carrier.Id), (KeyHeader, KeyOf("xihu")));

        var body = await OkAsync(response);
        Assert.Equal(carrier.Id, body.GetProperty("carrierId").GetString());
        Assert.Equal(carrier.Name, body.GetProperty("carrierName").GetString());
        Assert.Equal("xihu", body.GetProperty("district").GetProperty("code").GetString());
        Assert.Equal(1, body.GetProperty("count").GetInt32());
        var item = Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.Equal(id, item.GetProperty("applicationId").GetString());
        Assert.Equal("accepted", item.GetProperty("status").GetProperty("code").GetString());
        Assert.Equal("已录取", item.GetProperty("status").GetProperty("name").GetProperty("zh").GetString());
        Assert.Equal(app.Factory.Clock.Now, item.GetProperty("submittedAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.String, item.GetProperty("decidedAt").ValueKind);
        Assert.Equal("ai", item.GetProperty("industry").GetProperty("code").GetString());
        Assert.Equal("人工智能", item.GetProperty("industry").GetProperty("name").GetProperty("zh").GetString());
        Assert.Equal("yellow", item.GetProperty("stage").GetProperty("code").GetString());
        Assert.Equal(6, item.GetProperty("teamSize").GetInt32());
        Assert.Equal(120, item.GetProperty("seat").GetProperty("amount").GetDouble());
        var text = body.GetRawText();
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.DoesNotContain("token", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("rdStaffSharePercent", text, StringComparison.Ordinal);
        Assert.DoesNotContain("300000", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCityBureauSeesACarrierInAnyDistrict()
    {
        var carrier = AdmittingCarrier("binjiang");
        var (id, _) = await AcceptedAtAsync(app.Factory, app.Client, carrier);

        using var response = await SendAsync(app.Client, ApplicationsPath(carrier.Id), (KeyHeader, KeyOf("hangzhou")));

        var body = await OkAsync(response);
        var item = Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.Equal(id, item.GetProperty("applicationId").GetString());
        Assert.Equal("accepted", item.GetProperty("status").GetProperty("code").GetString());
    }

    [Fact]
    public async Task ABureauClientSeesNewestFirstAndCanFilterByStatus()
    {
        var carrier = AdmittingCarrier("xihu");
        var (first, _) = await AcceptedAtAsync(app.Factory, app.Client, carrier);
        app.Factory.Clock.Now += TimeSpan.FromMinutes(1);
        var (second, secondToken) = await AcceptedAtAsync(app.Factory, app.Client, carrier);
        using (var withdraw = new HttpRequestMessage(HttpMethod.Post, $"/api/applications/{second}/withdraw"))
        {
            withdraw.Headers.Add("X-Application-Token", secondToken);
            using var withdrawn = await app.Client.SendAsync(withdraw);
            Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        }
        using var client = app.Factory.CreateBureauClient("xihu");

        var all = await OkAsync(await client.GetAsync(new Uri(ApplicationsPath(carrier.Id), UriKind.Relative)));
        var accepted = await OkAsync(await client.GetAsync(new Uri(ApplicationsPath(carrier.Id, "?status=accepted"), UriKind.Relative)));
        var waitlisted = await OkAsync(await client.GetAsync(new Uri(ApplicationsPath(carrier.Id, "?status=waitlisted"), UriKind.Relative)));

        Assert.Equal([(second, "withdrawn"), (first, "accepted")], Items(all));
        Assert.Equal("accepted", accepted.GetProperty("status").GetString());
        Assert.Equal([(first, "accepted")], Items(accepted));
        Assert.Empty(Items(waitlisted));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("status").ValueKind);
    }

    private static List<(string, string)> Items(JsonElement body) =>
        [.. body.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("applicationId").GetString()!, i.GetProperty("status").GetProperty("code").GetString()!))];

    [Theory]
    [InlineData("?status=bogus", "status", "unknown-code")]
    [InlineData("?status=accepted&status=waitlisted", "status", "unknown-code")]
    [InlineData("?status=", "status", "unknown-code")]
    public async Task AnUnknownStatusIsAFieldError(string query, string field, string code)
    {
        using var client = app.Factory.CreateBureauClient("xihu");

        using var response = await client.GetAsync(new Uri(ApplicationsPath(AdmittingCarrier("xihu").Id, query), UriKind.Relative));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        Assert.Contains("waitlisted", Problem.FieldError(problem, field, code).GetProperty("en").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownCarrierIsNotFoundAndAMalformedIdIsAFieldError()
    {
        using var client = app.Factory.CreateBureauClient("hangzhou");

        using var unknown = await client.GetAsync(new Uri(ApplicationsPath("xihu-999"), UriKind.Relative));
        using var malformed = await client.GetAsync(new Uri(ApplicationsPath("Not_An_Id"), UriKind.Relative));

        await Problem.AssertAsync(unknown, HttpStatusCode.NotFound, "not-found");
        Problem.FieldError(await Problem.AssertAsync(malformed, HttpStatusCode.BadRequest, "validation-failed"), "id", "invalid-id");
    }

    [Fact]
    public async Task WithoutAppServiceAuthenticationItsPrincipalHeaderIsIgnored()
    {
        // Anyone can send the header when App Service Authentication is not in front of the app.
        var principal = Principal(("roles", "bureau"), ("jurisdiction", "xihu"));

        using var response = await SendAsync(app.Client, ApplicationsPath(AdmittingCarrier("xihu").Id), (PrincipalHeader, principal));

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "bureau-credentials-required");
    }

    [Fact]
    public async Task OnlyTheBureauPolicyAuthenticatesSoPublicEndpointsRunNoScheme()
    {
        var schemes = app.Factory.Services.GetRequiredService<IAuthenticationSchemeProvider>();

        Assert.Null(await schemes.GetDefaultAuthenticateSchemeAsync());
        Assert.Null(await schemes.GetDefaultChallengeSchemeAsync());
    }

    /// <summary>Every endpoint under <c>/api/bureau</c>, now and later: anonymous callers and startups get 401 problems.</summary>
    [Fact]
    public async Task EveryBureauEndpointRefusesAnonymousCallersAndStartups()
    {
        var (_, token) = await AcceptedAtAsync(app.Factory, app.Client, AdmittingCarrier("xihu"));
        var endpoints = app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(FunctionsHost.ApiPath + "/bureau/", StringComparison.Ordinal) == true)
            .ToList();
        Assert.NotEmpty(endpoints);

        foreach (var endpoint in endpoints)
        {
            var path = RouteParameter().Replace(endpoint.RoutePattern.RawText!, "xihu-001");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
            {
                (string, string)[][] callers =
                [
                    [],
                    [("X-Application-Token", token)],
                    [(KeyHeader, token)],
                    [(PrincipalHeader, Principal(("roles", "bureau"), ("jurisdiction", "hangzhou")))],
                ];
                foreach (var headers in callers)
                {
                    using var response = await SendAsync(app.Client, new HttpMethod(method), path, headers);
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with {headers.Length} header(s): {(int)response.StatusCode} {body}");
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    Assert.StartsWith("bureau-credentials-", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString(), StringComparison.Ordinal);
                    Assert.NotEmpty(response.Headers.WwwAuthenticate);
                }
            }
        }
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex RouteParameter();
}
