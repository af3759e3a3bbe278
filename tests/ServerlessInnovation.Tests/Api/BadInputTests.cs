using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Api;

/// <summary>Malformed, oversized and hostile input: always a 4xx problem+json with field-level messages, never a 500.</summary>
public sealed class BadInputTests(DemoApp app) : IClassFixture<DemoApp>
{
    private const string Valid = """{"stage":"yellow","industry":"ai","teamSize":6,"rdStaffSharePercent":50,"space":{"areaM2":120}}""";

    private async Task<HttpResponseMessage> PostAsync(string json, string contentType = "application/json") =>
        await app.Client.PostAsync(new Uri("/api/matches", UriKind.Relative), new StringContent(json, Encoding.UTF8, contentType));

    /// <summary>The valid body with <paramref name="member"/> (raw JSON <c>"name":value</c>) added or replacing the same member.</summary>
    private static string With(string member)
    {
        var body = JsonNode.Parse(Valid)!.AsObject();
        foreach (var (name, value) in JsonNode.Parse("{" + member + "}")!.AsObject().ToList())
        {
            body[name] = value?.DeepClone();
        }
        return body.ToJsonString();
    }

    [Fact]
    public async Task TheValidBaselineIsAccepted()
    {
        using var response = await PostAsync(Valid);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"stage":""", "malformed-json")]
    [InlineData("""{"stage":"yellow",}""", "malformed-json")]
    [InlineData("""{'stage':'yellow'}""", "malformed-json")]
    [InlineData("", "empty-body")]
    [InlineData("   ", "empty-body")]
    [InlineData("null", "not-an-object")]
    public async Task MalformedJsonIsRefusedWithWhereItBroke(string body, string errorCode)
    {
        using var response = await PostAsync(body);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "malformed-body");
        Problem.FieldError(problem, "$", errorCode);
    }

    [Theory]
    [InlineData("teamSize", "\"six\"", "整数")]
    [InlineData("teamSize", "6.5", "整数")]
    [InlineData("teamSize", "1e40", "整数")]
    [InlineData("stage", "7", "字符串")]
    [InlineData("registeredOn", "\"2026-13-45\"", "yyyy-MM-dd")]
    [InlineData("wantedServices", "\"mentoring\"", "数组")]
    [InlineData("location", "[30,120]", "JSON 对象")]
    public async Task AValueOfTheWrongTypeNamesTheFieldAndTheExpectedType(string field, string rawValue, string expected)
    {
        var body = JsonNode.Parse(Valid)!.AsObject();
        body[field] = JsonNode.Parse(rawValue);

        using var response = await PostAsync(body.ToJsonString());

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        var error = Problem.FieldError(problem, field, "wrong-type");
        Assert.Contains(expected, error.GetProperty("zh").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryMissingRequiredFieldIsReportedAtOnce()
    {
        using var response = await PostAsync("{}");

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        foreach (var field in new[] { "stage", "industry", "teamSize", "rdStaffSharePercent", "space" })
        {
            Problem.FieldError(problem, field, "required");
        }
    }

    [Theory]
    [InlineData("\"top\":0", "top")]
    [InlineData("\"top\":51", "top")]
    [InlineData("\"lastYearRevenueCny\":-1", "lastYearRevenueCny")]
    [InlineData("\"lastYearRdExpenseCny\":9223372036854775807", "lastYearRdExpenseCny")]
    [InlineData("\"rdStaffSharePercent\":101", "rdStaffSharePercent")]
    [InlineData("\"location\":{\"latitude\":91,\"longitude\":120}", "location.latitude")]
    [InlineData("\"intellectualProperty\":{\"classI\":-2}", "intellectualProperty.classI")]
    [InlineData("\"registeredOn\":\"2099-01-01\"", "registeredOn")]
    [InlineData("\"registeredOn\":\"1900-01-01\"", "registeredOn")]
    public async Task NegativeAndAbsurdNumbersAreOutOfRange(string member, string field)
    {
        using var response = await PostAsync(With(member));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        Problem.FieldError(problem, field, "out-of-range");
    }

    [Theory]
    [InlineData("{\"stage\":\"yellow\",\"industry\":\"ai\",\"teamSize\":-3,\"rdStaffSharePercent\":50,\"space\":{\"areaM2\":120}}", "teamSize")]
    [InlineData("{\"stage\":\"yellow\",\"industry\":\"ai\",\"teamSize\":10000001,\"rdStaffSharePercent\":50,\"space\":{\"areaM2\":120}}", "teamSize")]
    [InlineData("{\"stage\":\"yellow\",\"industry\":\"ai\",\"teamSize\":6,\"rdStaffSharePercent\":50,\"space\":{\"areaM2\":1e308}}", "space.areaM2")]
    [InlineData("{\"stage\":\"yellow\",\"industry\":\"ai\",\"teamSize\":6,\"rdStaffSharePercent\":50,\"space\":{\"workstations\":0}}", "space.workstations")]
    public async Task SizesOutsideTheirRangeAreRefused(string body, string field)
    {
        using var response = await PostAsync(body);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        Problem.FieldError(problem, field, "out-of-range");
    }

    [Fact]
    public async Task UnknownCodesAreRefusedWithTheAllowedValues()
    {
        using var response = await PostAsync(Valid.Replace("\"ai\"", "\"blockchain\"", StringComparison.Ordinal)[..^1] +
            ",\"wantedServices\":[\"mentoring\",\"free-lunch\"],\"preferredDistricts\":[\"atlantis\"],\"carrierTypes\":[\"spaceship\"]}");

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        var industry = Problem.FieldError(problem, "industry", "unknown-code");
        Assert.Contains("biomedicine", industry.GetProperty("zh").GetString(), StringComparison.Ordinal);
        Problem.FieldError(problem, "wantedServices[1]", "unknown-code");
        Problem.FieldError(problem, "preferredDistricts[0]", "unknown-code");
        Problem.FieldError(problem, "carrierTypes[0]", "unknown-code");
    }

    [Fact]
    public async Task HostileStringsAreNotEchoedBack()
    {
        var hostile = "<script>alert(1)</script>" + new string('x', 5000);
        using var response = await PostAsync(Valid.Replace("\"ai\"", "\"" + hostile + "\"", StringComparison.Ordinal));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
        Assert.True(body.Length < 3000, $"answer of {body.Length} characters");
    }

    [Fact]
    public async Task OversizedArraysAreRefusedWithoutAnErrorPerItem()
    {
        var services = string.Join(',', Enumerable.Repeat("\"mentoring\"", 5000));
        using var response = await PostAsync(With($"\"wantedServices\":[{services}]"));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        Problem.FieldError(problem, "wantedServices", "too-many-items");
        Assert.Single(problem.GetProperty("errors").EnumerateObject());
    }

    [Fact]
    public async Task RepeatedItemsAreRefused()
    {
        using var response = await PostAsync(With("\"preferredDistricts\":[\"xihu\",\"xihu\"]"));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        Problem.FieldError(problem, "preferredDistricts[1]", "duplicate-item");
    }

    [Fact]
    public async Task AreaAndWorkstationsTogetherAreRefused()
    {
        using var response = await PostAsync(Valid.Replace("{\"areaM2\":120}", "{\"areaM2\":120,\"workstations\":4}", StringComparison.Ordinal));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        Problem.FieldError(problem, "space", "one-of");
    }

    [Theory]
    [InlineData("\"teamsize\":6", "teamsize", "unknown-field")]
    [InlineData("\"teamSize\":7", "teamSize", "duplicate-field")]
    public async Task UnknownAndRepeatedMembersAreRefused(string member, string field, string code)
    {
        using var response = await PostAsync(Valid[..^1] + "," + member + "}");

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        Problem.FieldError(problem, field, code);
    }

    [Fact]
    public async Task ABodyOverSixtyFourKibIsRefusedAsTooLarge()
    {
        using var response = await PostAsync(With($"\"padding\":\"{new string('x', 70 * 1024)}\""));

        await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
    }

    [Fact]
    public async Task AChunkedBodyOverTheLimitIsStoppedWhileReading()
    {
        var bytes = Encoding.UTF8.GetBytes(With($"\"padding\":\"{new string('x', 200 * 1024)}\""));
        using var content = new StreamContent(new NonSeekableStream(bytes));
        content.Headers.ContentType = new("application/json");

        using var response = await app.Client.PostAsync(new Uri("/api/matches", UriKind.Relative), content);

        await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
    }

    [Fact]
    public async Task InvalidUtf8IsRefused()
    {
        var bytes = Encoding.UTF8.GetBytes(Valid).ToList();
        bytes.InsertRange(bytes.IndexOf((byte)'a'), new byte[] { 0xC3, 0x28, 0xFF });
        using var content = new ByteArrayContent([.. bytes]);
        content.Headers.ContentType = new("application/json");

        using var response = await app.Client.PostAsync(new Uri("/api/matches", UriKind.Relative), content);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "malformed-body");
        Problem.FieldError(problem, "$", "invalid-utf8");
    }

    [Theory]
    [InlineData(20)]
    [InlineData(5000)]
    public async Task DeeplyNestedJsonIsRefused(int depth)
    {
        using var response = await PostAsync(Valid[..^1] + ",\"location\":" + new string('[', depth) + new string(']', depth) + "}");

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "malformed-body");
        Problem.FieldError(problem, "$", "too-deep");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/json; charset=gb2312")]
    public async Task ABodyThatIsNotJsonIsAnUnsupportedMediaType(string contentType)
    {
        using var content = new StringContent(Valid);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using var response = await app.Client.PostAsync(new Uri("/api/matches", UriKind.Relative), content);

        await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Theory]
    [InlineData("GET", "/api/nothing-here", HttpStatusCode.NotFound, "not-found")]
    [InlineData("GET", "/api/carriers/x/y/z", HttpStatusCode.NotFound, "not-found")]
    [InlineData("POST", "/MatchCarriers", HttpStatusCode.NotFound, "not-found")]
    [InlineData("DELETE", "/api/matches", HttpStatusCode.MethodNotAllowed, "method-not-allowed")]
    [InlineData("GET", "/api/matches", HttpStatusCode.MethodNotAllowed, "method-not-allowed")]
    [InlineData("PUT", "/api/carriers", HttpStatusCode.MethodNotAllowed, "method-not-allowed")]
    public async Task UnknownRoutesAndMethodsAreProblems(string method, string path, HttpStatusCode status, string code)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await app.Client.SendAsync(request);

        await Problem.AssertAsync(response, status, code);
        if (status == HttpStatusCode.MethodNotAllowed)
        {
            Assert.NotEmpty(response.Content.Headers.Allow);
        }
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=1000", "pageSize")]
    [InlineData("pageSize=abc", "pageSize")]
    [InlineData("type=spaceship", "type")]
    [InlineData("tier=galactic", "tier")]
    [InlineData("industry=tea", "industry")]
    [InlineData("district=atlantis", "district")]
    [InlineData("continuationToken=%2F%2F%2F", "continuationToken")]
    [InlineData("continuationToken=QUJDX1ghIQ", "continuationToken")]
    public async Task BadCarrierQueriesAreRefusedByParameter(string query, string field)
    {
        using var response = await app.Client.GetAsync(new Uri("/api/carriers?" + query, UriKind.Relative));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("NOT_AN_ID")]
    [InlineData("-starts-with-hyphen")]
    [InlineData("%E6%9D%AD%E5%B7%9E")]
    public async Task ACarrierIdOfTheWrongShapeIsRefused(string id)
    {
        using var response = await app.Client.GetAsync(new Uri("/api/carriers/" + id, UriKind.Relative));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        Problem.FieldError(problem, "id", "invalid-id");
    }

    [Fact]
    public async Task AVeryLongCarrierIdIsRefused()
    {
        using var response = await app.Client.GetAsync(new Uri("/api/carriers/" + new string('a', 2000), UriKind.Relative));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation-failed");
    }

    /// <summary>A body without a length, as a chunked upload sends it.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
