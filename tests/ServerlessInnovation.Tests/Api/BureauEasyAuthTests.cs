using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using ServerlessInnovation.Functions.Bureaus;
using ServerlessInnovation.Tests.Infrastructure;
using static ServerlessInnovation.Tests.Api.BureauCalls;

namespace ServerlessInnovation.Tests.Api;

/// <summary>The app behind App Service Authentication (<c>WEBSITE_AUTH_ENABLED=True</c>), shared by the tests of a class.</summary>
public sealed class EasyAuthApp : IAsyncLifetime
{
    public ApiFactory Factory { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Factory = await ApiFactory.WithDemoCatalogAsync(new Dictionary<string, string?> { ["WEBSITE_AUTH_ENABLED"] = "True" });
        Client = await Factory.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}

/// <summary>Bureau staff signed in by App Service Authentication: the principal's app role and jurisdiction decide.</summary>
public sealed class BureauEasyAuthTests(EasyAuthApp app) : IClassFixture<EasyAuthApp>
{
    private Task<HttpResponseMessage> AsPrincipalAsync(string carrierId, string principal) =>
        SendAsync(app.Client, ApplicationsPath(carrierId), (PrincipalHeader, principal));

    [Fact]
    public async Task AnAppRoleClaimAndAJurisdictionMakeABureau()
    {
        var carrier = AdmittingCarrier("xihu");
        var (id, _) = await AcceptedAtAsync(app.Factory, app.Client, carrier);

        using var response = await AsPrincipalAsync(carrier.Id, Principal(("name", "张三"), ("roles", "bureau"), ("jurisdiction", "xihu")));

        var body = await OkAsync(response);
        var item = Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.Equal(id, item.GetProperty("applicationId").GetString());
        Assert.Equal("accepted", item.GetProperty("status").GetProperty("code").GetString());
    }

    [Fact]
    public async Task TheRoleUnderThePrincipalsRoleTypeCountsToo()
    {
        using var response = await AsPrincipalAsync(AdmittingCarrier("xihu").Id, Principal((RoleTyp, "bureau"), ("jurisdiction", "xihu")));

        await OkAsync(response);
    }

    [Fact]
    public async Task TheCityBureauSignedInSeesAnyDistrictAndADistrictBureauOnlyItsOwn()
    {
        var carrier = AdmittingCarrier("binjiang");

        using var city = await AsPrincipalAsync(carrier.Id, Principal(("roles", "bureau"), ("jurisdiction", "hangzhou")));
        using var xihu = await AsPrincipalAsync(carrier.Id, Principal(("roles", "bureau"), ("jurisdiction", "xihu")));

        await OkAsync(city);
        await Problem.AssertAsync(xihu, HttpStatusCode.Forbidden, "outside-jurisdiction");
    }

    [Theory]
    [InlineData("Bureau.Admin")]
    [InlineData("Bureau")]
    [InlineData(null)]
    public async Task ASignedInUserWithoutTheBureauRoleIsForbidden(string? role)
    {
        var principal = role is null ? Principal(("jurisdiction", "xihu")) : Principal(("roles", role), ("jurisdiction", "xihu"));

        using var response = await AsPrincipalAsync(AdmittingCarrier("xihu").Id, principal);

        await Problem.AssertAsync(response, HttpStatusCode.Forbidden, "bureau-role-required");
    }

    /// <summary>A bureau role whose jurisdiction is no bureau's cannot be acted for: the sign-in does not identify a bureau (401).</summary>
    [Theory]
    [InlineData("nowhere")]
    [InlineData("Xihu")]
    [InlineData("")]
    public async Task AnUnknownJurisdictionIsInvalid(string jurisdiction)
    {
        using var response = await AsPrincipalAsync(AdmittingCarrier("xihu").Id, Principal(("roles", "bureau"), ("jurisdiction", jurisdiction)));

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "bureau-credentials-invalid");
    }

    [Fact]
    public async Task NoJurisdictionOrTwoAreInvalid()
    {
        var carrier = AdmittingCarrier("xihu").Id;

        using var none = await AsPrincipalAsync(carrier, Principal(("roles", "bureau")));
        using var two = await AsPrincipalAsync(carrier, Principal(("roles", "bureau"), ("jurisdiction", "xihu"), ("jurisdiction", "hangzhou")));

        await Problem.AssertAsync(none, HttpStatusCode.Unauthorized, "bureau-credentials-invalid");
        await Problem.AssertAsync(two, HttpStatusCode.Unauthorized, "bureau-credentials-invalid");
    }

    public static TheoryData<string> Malformed() => new()
    {
        "not base64!",
        "e30",                                  // base64 without its padding
        Base64("not json"),
        Base64("[]"),
        Base64("null"),
        Base64("{\"claims\":[{\"typ\":\"roles\",\"val\":1}]}"),
        Base64("{\"claims\":{\"typ\":\"roles\"}}"),
        Convert.ToBase64String([.. "{\"claims\":[{\"typ\":\"roles\",\"val\":\""u8, 0xFF, 0xFE, .. "\"}]}"u8]), // a value that is not UTF-8
        Base64(new string('[', 100) + new string(']', 100)),
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task AMalformedPrincipalIsInvalidNeverAnError(string principal)
    {
        using var response = await AsPrincipalAsync(AdmittingCarrier("xihu").Id, principal);

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "bureau-credentials-invalid");
    }

    [Fact]
    public async Task AHugePrincipalIsInvalid()
    {
        // 20 KiB: well-formed, with the role and jurisdiction, padded with claims.
        var padding = Enumerable.Range(0, 400).Select(i => ("group", $"g{i:D4}-0000-0000-0000")).ToArray();
        var principal = Principal([("roles", "bureau"), ("jurisdiction", "xihu"), .. padding]);
        Assert.InRange(principal.Length, 20 * 1024, 40 * 1024);

        using var response = await AsPrincipalAsync(AdmittingCarrier("xihu").Id, principal[..(20 * 1024)]);
        using var whole = await AsPrincipalAsync(AdmittingCarrier("xihu").Id, principal);

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "bureau-credentials-invalid");
        await Problem.AssertAsync(whole, HttpStatusCode.Unauthorized, "bureau-credentials-invalid");
    }

    [Fact]
    public async Task APrincipalDecidesEvenBesideAKeyAndKeysStillWorkAlone()
    {
        var carrier = AdmittingCarrier("xihu").Id;
        var key = app.Factory.BureauKeys["xihu"];

        using var keyAlone = await SendAsync(app.Client, ApplicationsPath(carrier), (ApiFactory.BureauKeyHeader, key));
        using var notABureauWithKey = await SendAsync(app.Client, ApplicationsPath(carrier),
            (PrincipalHeader, Principal(("jurisdiction", "xihu"))), (ApiFactory.BureauKeyHeader, key));

        await OkAsync(keyAlone);
        await Problem.AssertAsync(notABureauWithKey, HttpStatusCode.Forbidden, "bureau-role-required");
    }

    [Fact]
    public async Task PublicEndpointsIgnoreAMalformedPrincipal()
    {
        using var carriers = await SendAsync(app.Client, "/api/carriers?pageSize=1", (PrincipalHeader, "not base64!"));
        using var health = await SendAsync(app.Client, "/api/health", (PrincipalHeader, Base64("[]")));

        Assert.Equal(HttpStatusCode.OK, carriers.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Theory]
    [InlineData("True", true)]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("False", false)]
    [InlineData("1", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void AppServiceAuthenticationIsTrustedOnlyWhenThePlatformSaysTrue(string? setting, bool trusted)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["WEBSITE_AUTH_ENABLED"] = setting, ["Bureaus:TrustAppServiceAuthentication"] = "true" })
            .Build();
        var options = new BureauOptions();
        configuration.GetSection(BureauOptions.SectionName).Bind(options);

        new BureauOptions.PlatformSetup(configuration).PostConfigure(Options.DefaultName, options);

        Assert.Equal(trusted, options.TrustAppServiceAuthentication);
    }
}
