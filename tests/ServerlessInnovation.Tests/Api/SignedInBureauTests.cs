using System.Net;
using System.Text.Json;
using ServerlessInnovation.Functions.Bureaus;
using ServerlessInnovation.Tests.Infrastructure;
using static ServerlessInnovation.Tests.Api.BureauCalls;

namespace ServerlessInnovation.Tests.Api;

/// <summary><c>GET /api/bureau/me</c> with a bureau's API key, standalone (no App Service Authentication).</summary>
public sealed class SignedInBureauTests(DemoApp app) : IClassFixture<DemoApp>
{
    private const string Path = "/api/bureau/me";

    [Fact]
    public async Task AKeyTellsWhichBureauItIsWithItsDistricts()
    {
        using var response = await SendAsync(app.Client, Path, (ApiFactory.BureauKeyHeader, app.Factory.BureauKeys["xihu"]));

        var body = await OkAsync(response);
        Assert.Equal("xihu", body.GetProperty("code").GetString());
        Assert.Equal("西湖区科学技术局", body.GetProperty("name").GetProperty("zh").GetString());
        Assert.Equal("Xihu District Bureau of Science and Technology", body.GetProperty("name").GetProperty("en").GetString());
        var district = Assert.Single(body.GetProperty("jurisdiction").EnumerateArray());
        Assert.Equal("xihu", district.GetProperty("code").GetString());
        Assert.Equal("西湖区", district.GetProperty("name").GetProperty("zh").GetString());
        Assert.Equal("api-key", body.GetProperty("method").GetString());
        Assert.Equal("xihu API key", body.GetProperty("signedInAs").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("signOutUrl").ValueKind);
    }

    [Fact]
    public async Task TheCityBureausKeyCoversEveryDistrict()
    {
        using var response = await SendAsync(app.Client, Path, (ApiFactory.BureauKeyHeader, app.Factory.BureauKeys["hangzhou"]));

        var body = await OkAsync(response);
        Assert.Equal("hangzhou", body.GetProperty("code").GetString());
        Assert.Equal(13, body.GetProperty("jurisdiction").GetArrayLength());
    }

    [Fact]
    public async Task WithoutOrWithAWrongKeyTheProblemOffersNoSignInWhenAppServiceAuthenticationIsOff()
    {
        using var none = await SendAsync(app.Client, Path);
        using var wrong = await SendAsync(app.Client, Path, (ApiFactory.BureauKeyHeader, "not-a-key"));

        var required = await Problem.AssertAsync(none, HttpStatusCode.Unauthorized, "bureau-credentials-required");
        var invalid = await Problem.AssertAsync(wrong, HttpStatusCode.Unauthorized, "bureau-credentials-invalid");
        Assert.False(required.TryGetProperty("signInUrl", out _));
        Assert.False(invalid.TryGetProperty("signInUrl", out _));
    }
}

/// <summary><c>GET /api/bureau/me</c> behind App Service Authentication: who signed in, and where to sign in and out.</summary>
public sealed class SignedInBureauEasyAuthTests(EasyAuthApp app) : IClassFixture<EasyAuthApp>
{
    private const string Path = "/api/bureau/me";

    [Fact]
    public async Task ASignedInUserIsNamedWithTheMethodAndASignOutLink()
    {
        using var response = await SendAsync(app.Client, Path, (PrincipalHeader, Principal(("name", "张三"), ("roles", "bureau"), ("jurisdiction", "xihu"))));

        var body = await OkAsync(response);
        Assert.Equal("xihu", body.GetProperty("code").GetString());
        Assert.Equal("张三", body.GetProperty("signedInAs").GetString());
        Assert.Equal("app-service-authentication", body.GetProperty("method").GetString());
        Assert.Equal("/.auth/logout?post_logout_redirect_uri=/bureau/", body.GetProperty("signOutUrl").GetString());
    }

    [Fact]
    public async Task AKeyStillWorksAndSaysSo()
    {
        using var response = await SendAsync(app.Client, Path, (ApiFactory.BureauKeyHeader, app.Factory.BureauKeys["binjiang"]));

        var body = await OkAsync(response);
        Assert.Equal("binjiang", body.GetProperty("code").GetString());
        Assert.Equal("api-key", body.GetProperty("method").GetString());
    }

    [Fact]
    public async Task TheUnauthorizedProblemOffersTheEntraSignIn()
    {
        using var none = await SendAsync(app.Client, Path);
        using var wrong = await SendAsync(app.Client, Path, (ApiFactory.BureauKeyHeader, "not-a-key"));
        using var malformed = await SendAsync(app.Client, "/api/bureau/documents", (PrincipalHeader, "%%%"));

        foreach (var (response, code) in new[] { (none, "bureau-credentials-required"), (wrong, "bureau-credentials-invalid"), (malformed, "bureau-credentials-invalid") })
        {
            var problem = await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, code);
            Assert.Equal(BureauAccess.SignInUrl, problem.GetProperty("signInUrl").GetString());
            Assert.Equal("/.auth/login/aad?post_login_redirect_uri=/bureau/", problem.GetProperty("signInUrl").GetString());
        }
    }
}
