using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessInnovation.Tests.Api;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Hosting;

/// <summary>The handler started as the Functions host starts it, with its catalog loaded.</summary>
public sealed class HostedHandler : IAsyncLifetime
{
    public HandlerProcess Handler { get; private set; } = null!;

    /// <summary>The xihu bureau's API key; the handler is given only its hash.</summary>
    public string XihuBureauKey { get; } = ApiFactory.NewSigningKey();

    public async Task InitializeAsync()
    {
        var azurite = await Azurite.Shared;
        Handler = await HandlerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Storage"] = azurite.ConnectionString,
            ["Catalog__CarrierTable"] = Azurite.UniqueName("carriers"),
            ["Catalog__StateTable"] = Azurite.UniqueName("state"),
            ["Catalog__SeedDemoCatalogWhenEmpty"] = "true",
            ["Applications__SigningKey"] = ApiFactory.NewSigningKey(),
            ["ApplicationsQueue"] = Azurite.UniqueName("applications"),
            ["Bureaus__KeyHashes__xihu"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(XihuBureauKey))),
        });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await Handler.Client.GetAsync(new Uri("/api/health", UriKind.Relative))).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "catalog not loaded: " + Handler.Output);
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync() => await Handler.DisposeAsync();
}

/// <summary>Tests play the Functions host, with the payloads of the custom-handler contract.</summary>
public sealed class CustomHandlerContractTests(HostedHandler hosted) : IClassFixture<HostedHandler>
{
    private HttpClient Client => hosted.Handler.Client;

    /// <summary>What the host sends for an HTTP function when it does not forward the request (contract §2.1, §2.3).</summary>
    private static HttpRequestMessage Invocation(string function, JsonObject request)
    {
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["req"] = request },
            ["Metadata"] = new JsonObject
            {
                ["Query"] = new JsonObject(),
                ["Headers"] = new JsonObject { ["Content-Type"] = "application/json" },
                ["sys"] = new JsonObject { ["MethodName"] = function, ["UtcNow"] = "2026-11-22T02:00:01.22Z", ["RandGuid"] = Guid.NewGuid().ToString() },
            },
        };
        var message = new HttpRequestMessage(HttpMethod.Post, "/" + function)
        {
            Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        message.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        message.Headers.Add("X-Azure-Functions-HostVersion", "4.1037.0.0");
        message.Headers.UserAgent.ParseAdd("Azure-Functions-Host/4.1037.0.0");
        return message;
    }

    private static JsonObject HttpRequest(string method, string url, string? body = null, JsonObject? parameters = null, JsonNode? query = null)
    {
        var request = new JsonObject
        {
            ["Url"] = url,
            ["Method"] = method,
            ["Query"] = query ?? new JsonObject(),
            ["Headers"] = new JsonObject
            {
                ["Content-Type"] = new JsonArray("application/json"),
                ["Host"] = new JsonArray("si-func.azurewebsites.net"),
                ["X-Forwarded-For"] = new JsonArray("203.0.113.7:50123"),
            },
            ["Params"] = parameters ?? new JsonObject(),
            ["Identities"] = new JsonArray(new JsonObject
            {
                ["AuthenticationType"] = "WebJobsAuthLevel",
                ["IsAuthenticated"] = true,
                ["Claims"] = new JsonArray(new JsonObject { ["Type"] = "http://schemas.microsoft.com/2017/07/functions/claims/authlevel", ["Value"] = "Anonymous" }),
            }),
        };
        if (body is not null)
        {
            request["Body"] = body;
        }
        return request;
    }

    /// <summary>Checks the answer to the host: 200, JSON, Outputs.res as the host reads it; returns res.</summary>
    private static async Task<JsonElement> OutputsResAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var envelope = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(["Outputs", "Logs", "ReturnValue"], envelope.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, envelope.GetProperty("ReturnValue").ValueKind);
        Assert.All(envelope.GetProperty("Logs").EnumerateArray(), l => Assert.Equal(JsonValueKind.String, l.ValueKind));
        var outputs = envelope.GetProperty("Outputs");
        Assert.Equal(["res"], outputs.EnumerateObject().Select(p => p.Name));
        var res = outputs.GetProperty("res");
        Assert.Equal(JsonValueKind.Number, res.GetProperty("statusCode").ValueKind);
        Assert.Equal(JsonValueKind.Object, res.GetProperty("headers").ValueKind);
        Assert.All(res.GetProperty("headers").EnumerateObject(), h => Assert.Equal(JsonValueKind.String, h.Value.ValueKind));
        Assert.Equal(JsonValueKind.String, res.GetProperty("body").ValueKind);
        return res;
    }

    [Fact]
    public void TheHandlerListensOnLoopbackAtTheHostsPortWhateverElseIsConfigured()
    {
        Assert.Contains($"Now listening on: http://127.0.0.1:{hosted.Handler.Port}", hosted.Handler.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening on: http://0.0.0.0:1", hosted.Handler.Output, StringComparison.Ordinal);
        Assert.True(hosted.Handler.TimeToReady < TimeSpan.FromSeconds(30), "the host gives up after 30 s");
    }

    [Fact]
    public async Task ReadinessIsAnyAnswerToGetRoot()
    {
        using var response = await Client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The answer is the startup page itself: the Pages function (route {*path}) brings every non-API path here.
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AProxiedRequestIsServedAtItsOriginalPath()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/matches")
        {
            Content = new StringContent(MatchesApiTests.Profile().ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.Add("x-ms-invocation-id", Guid.NewGuid().ToString());

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(10, body.GetProperty("matches").GetArrayLength());
    }

    [Fact]
    public async Task ADefaultModeInvocationIsAnsweredInOutputsRes()
    {
        using var message = Invocation("MatchCarriers",
            HttpRequest("POST", "https://si-func.azurewebsites.net/api/matches", body: MatchesApiTests.Profile().ToJsonString()));

        using var response = await Client.SendAsync(message);

        var res = await OutputsResAsync(response);
        Assert.Equal(200, res.GetProperty("statusCode").GetInt32());
        Assert.StartsWith("application/json", res.GetProperty("headers").GetProperty("Content-Type").GetString(), StringComparison.Ordinal);
        var match = JsonDocument.Parse(res.GetProperty("body").GetString()!).RootElement;
        Assert.Equal(10, match.GetProperty("matches").GetArrayLength());
        Assert.Equal(442, match.GetProperty("considered").GetInt32());
    }

    [Fact]
    public async Task RouteValuesAndTheQueryReachTheFunction()
    {
        using var list = await Client.GetAsync(new Uri("/api/carriers?district=gongshu&pageSize=1", UriKind.Relative));
        var id = JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("items")[0].GetProperty("id").GetString()!;
        using var message = Invocation("GetCarrier",
            HttpRequest("GET", $"http://si-func.azurewebsites.net/api/carriers/{id}?code=secret-key", parameters: new JsonObject { ["id"] = id }));

        using var response = await Client.SendAsync(message);

        var res = await OutputsResAsync(response);
        Assert.Equal(200, res.GetProperty("statusCode").GetInt32());
        Assert.Equal(id, JsonDocument.Parse(res.GetProperty("body").GetString()!).RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task WithoutAUrlThePathIsRebuiltFromTheRouteAndTheOldStringQueryIsAccepted()
    {
        var request = HttpRequest("GET", "unused", query: JsonValue.Create("{\"district\":\"xihu\",\"pageSize\":\"3\"}"));
        request.Remove("Url");
        using var message = Invocation("ListCarriers", request);

        using var response = await Client.SendAsync(message);

        var res = await OutputsResAsync(response);
        var page = JsonDocument.Parse(res.GetProperty("body").GetString()!).RootElement;
        Assert.Equal(3, page.GetProperty("items").GetArrayLength());
        Assert.All(page.GetProperty("items").EnumerateArray(), i => Assert.Equal("xihu", i.GetProperty("district").GetProperty("code").GetString()));
    }

    [Fact]
    public async Task ARefusedRequestIsAnHttpAnswerNotAFailedInvocation()
    {
        using var message = Invocation("MatchCarriers", HttpRequest("POST", "https://si-func.azurewebsites.net/api/matches", body: "{}"));

        using var response = await Client.SendAsync(message);

        var res = await OutputsResAsync(response);
        Assert.Equal(400, res.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/problem+json", res.GetProperty("headers").GetProperty("Content-Type").GetString());
        var problem = Problem.AssertBody(res.GetProperty("body").GetString()!, 400, "validation-failed");
        Problem.FieldError(problem, "stage", "required");
    }

    [Fact]
    public async Task ABureauFunctionChecksTheBureauInTheRequestTheHostSends()
    {
        using var list = await Client.GetAsync(new Uri("/api/carriers?district=xihu&pageSize=1", UriKind.Relative));
        var id = JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("items")[0].GetProperty("id").GetString()!;
        JsonObject Request() => HttpRequest("GET", $"https://si-func.azurewebsites.net/api/bureau/carriers/{id}/applications", parameters: new JsonObject { ["id"] = id });
        var withKey = Request();
        withKey["Headers"]!["X-Bureau-Key"] = new JsonArray(hosted.XihuBureauKey);

        using var anonymous = await Client.SendAsync(Invocation("ListCarrierApplications", Request()));
        using var bureau = await Client.SendAsync(Invocation("ListCarrierApplications", withKey));

        var refused = await OutputsResAsync(anonymous);
        Assert.Equal(401, refused.GetProperty("statusCode").GetInt32());
        Assert.StartsWith("BureauKey", refused.GetProperty("headers").GetProperty("WWW-Authenticate").GetString(), StringComparison.Ordinal);
        Problem.AssertBody(refused.GetProperty("body").GetString()!, 401, "bureau-credentials-required");
        var served = await OutputsResAsync(bureau);
        Assert.Equal(200, served.GetProperty("statusCode").GetInt32());
        Assert.Equal(id, JsonDocument.Parse(served.GetProperty("body").GetString()!).RootElement.GetProperty("carrierId").GetString());
        Assert.DoesNotContain(hosted.XihuBureauKey, hosted.Handler.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvocationPayloadThatIsNotThePayloadFailsTheInvocation()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/MatchCarriers") { Content = new StringContent("not json", Encoding.UTF8, "application/json") };

        using var response = await Client.SendAsync(message);

        Assert.False(response.IsSuccessStatusCode);
    }

    /// <summary>A queue trigger invocation as host 4.x sends it (section 2.4), text and metadata encoded twice.</summary>
    private static HttpRequestMessage QueueInvocation(string function, string payload, string invocationId)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "/" + function) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        message.Headers.Add("X-Azure-Functions-InvocationId", invocationId);
        message.Headers.Add("X-Azure-Functions-HostVersion", "4.1037.0.0");
        return message;
    }

    private async Task<string> LogLineAsync(string invocationId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var line = hosted.Handler.Output.Split('\n').FirstOrDefault(l => l.Contains(invocationId, StringComparison.Ordinal));
            if (line is not null || DateTime.UtcNow > deadline)
            {
                return line ?? "";
            }
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task AQueueInvocationReachesTheQueueTriggerOfItsFunction()
    {
        var invocationId = Guid.NewGuid().ToString();
        var text = JsonSerializer.Serialize(JsonSerializer.Serialize(new { applicationId = "contract-test-" + invocationId }));
        using var message = QueueInvocation("ProcessApplication",
            "{\"Data\":{\"message\":" + text + "},\"Metadata\":{\"DequeueCount\":\"1\",\"Id\":\"\\\"" + invocationId + "\\\"\",\"sys\":{\"MethodName\":\"ProcessApplication\"}}}", invocationId);

        using var response = await Client.SendAsync(message);

        // Whatever the app's handler makes of this made-up application, the host gets the success envelope or a bare failure.
        if (response.StatusCode == HttpStatusCode.OK)
        {
            await HostTriggerInvocationTests.AssertSucceededAsync(response);
        }
        else
        {
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Problem.AssertBody(await response.Content.ReadAsStringAsync(), 500, "internal-error");
        }
        var line = await LogLineAsync(invocationId);
        Assert.Contains("of ProcessApplication", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQueueInvocationWithoutItsMessageFailsWith400()
    {
        var invocationId = Guid.NewGuid().ToString();
        using var message = QueueInvocation("ProcessApplication", """{"Data":{},"Metadata":{}}""", invocationId);

        using var response = await Client.SendAsync(message);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("of ProcessApplication carried no valid trigger payload", await LogLineAsync(invocationId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownFunctionIsNotFound()
    {
        using var message = Invocation("NoSuchFunction", HttpRequest("GET", "http://x/api/nothing"));

        using var response = await Client.SendAsync(message);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
