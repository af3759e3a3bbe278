using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessInnovation.Functions.Hosting;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Hosting;

/// <summary>What the test handlers received, for the tests to inspect.</summary>
public sealed class TriggerRecorder
{
    public ConcurrentQueue<QueueTriggerMessage> Messages { get; } = new();
    public ConcurrentQueue<TimerTriggerInfo> Timers { get; } = new();
}

/// <summary>Records each message; throws for a text containing "boom", with the text in the exception message.</summary>
public sealed class RecordingQueueHandler(TriggerRecorder recorder) : IQueueTriggerHandler
{
    public Task HandleAsync(QueueTriggerMessage message, CancellationToken cancellationToken)
    {
        recorder.Messages.Enqueue(message);
        return message.Text.Contains("boom", StringComparison.Ordinal)
            ? throw new InvalidOperationException("handler failed on " + message.Text)
            : Task.CompletedTask;
    }
}

public sealed class RecordingTimerHandler(TriggerRecorder recorder) : ITimerTriggerHandler
{
    public Task HandleAsync(TimerTriggerInfo timer, CancellationToken cancellationToken)
    {
        recorder.Timers.Enqueue(timer);
        return Task.CompletedTask;
    }
}

/// <summary>The app in-process as a custom handler, with recording handlers for ProcessApplication and SweepApplications only.</summary>
public sealed class CustomHandlerApp : IAsyncLifetime
{
    public const string UnhandledQueueFunction = "UnhandledQueue";

    private ApiFactory Api { get; set; } = null!;

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public TriggerRecorder Recorder => Factory.Services.GetRequiredService<TriggerRecorder>();

    public async Task InitializeAsync()
    {
        Api = new ApiFactory((await Azurite.Shared).ConnectionString);
        Factory = Api.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton(new HostModeInfo(HostMode.CustomHandler)));
            // The app's functions, and one queue function that has a function.json but no handler.
            services.Replace(ServiceDescriptor.Singleton(provider => new FunctionManifest(
                FunctionManifest.Load(AppContext.BaseDirectory, provider.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()).Functions
                    .Append(new FunctionDefinition(UnhandledQueueFunction, [new FunctionBinding { Type = "queueTrigger", Direction = "in", Name = "message", QueueName = "unhandled", Connection = "Storage" }])))));
            services.AddSingleton<TriggerRecorder>();
            services.AddQueueTrigger<RecordingQueueHandler>("ProcessApplication");
            services.AddTimerTrigger<RecordingTimerHandler>("SweepApplications");
        }));
        Client = Factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await Api.DisposeAsync();
    }
}

/// <summary>Tests play the Functions host invoking queue and timer functions with the contract's payloads (sections 2.2–2.5, 2.7–2.8).</summary>
public sealed class HostTriggerInvocationTests(CustomHandlerApp app) : IClassFixture<CustomHandlerApp>
{
    /// <summary>The queue payload exactly as host 4.x sends it: strings and numbers JSON-encoded twice (section 2.4).</summary>
    private static string DoubleEncodedQueuePayload(string id, string text, string dequeueCount = "\"1\"") => $$"""
        {
          "Data": { "message": {{JsonSerializer.Serialize(JsonSerializer.Serialize(text))}} },
          "Metadata": {
            "DequeueCount": {{dequeueCount}},
            "ExpirationTime": "2025-01-08T10:00:00+00:00",
            "Id": {{JsonSerializer.Serialize(JsonSerializer.Serialize(id))}},
            "InsertionTime": "2025-01-01T10:00:00+00:00",
            "NextVisibleTime": "2025-01-01T10:10:01+00:00",
            "PopReceipt": "\"AgAAAAMAAAAAAAAAtFiGmGV82wE=\"",
            "applicationId": "\"A-2026-001\"",
            "sys": { "MethodName": "ProcessApplication", "UtcNow": "2025-01-01T10:00:01.22Z", "RandGuid": "24ad4c06-9c1d-4a43-b1a6-3d5a0f8e2b11" }
          }
        }
        """;

    /// <summary>The same payload as the Functions docs show it: every value encoded once.</summary>
    private static string SingleEncodedQueuePayload(string id, string text) => $$"""
        {
          "Data": { "message": {{JsonSerializer.Serialize(text)}} },
          "Metadata": {
            "DequeueCount": 1,
            "ExpirationTime": "2025-01-08T10:00:00+00:00",
            "Id": {{JsonSerializer.Serialize(id)}},
            "InsertionTime": "2025-01-01T10:00:00+00:00",
            "NextVisibleTime": "2025-01-01T10:10:01+00:00",
            "PopReceipt": "AgAAAAMAAAAAAAAAtFiGmGV82wE=",
            "sys": { "MethodName": "ProcessApplication", "UtcNow": "2025-01-01T10:00:01.22Z", "RandGuid": "24ad4c06-9c1d-4a43-b1a6-3d5a0f8e2b11" }
          }
        }
        """;

    private async Task<HttpResponseMessage> InvokeAsync(string function, string payload, string? invocationId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + function)
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Azure-Functions-InvocationId", invocationId ?? Guid.NewGuid().ToString());
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1037.0.0");
        request.Headers.UserAgent.ParseAdd("Azure-Functions-Host/4.1037.0.0");
        return await app.Client.SendAsync(request);
    }

    /// <summary>Checks the answer the host needs for success: 200, JSON, exactly <c>{"Outputs":{},"Logs":[...],"ReturnValue":null}</c>.</summary>
    internal static async Task AssertSucceededAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var envelope = JsonDocument.Parse(text).RootElement;
        Assert.Equal(["Outputs", "Logs", "ReturnValue"], envelope.EnumerateObject().Select(p => p.Name));
        Assert.Empty(envelope.GetProperty("Outputs").EnumerateObject());
        Assert.All(envelope.GetProperty("Logs").EnumerateArray(), l => Assert.Equal(JsonValueKind.String, l.ValueKind));
        Assert.Equal(JsonValueKind.Null, envelope.GetProperty("ReturnValue").ValueKind);
    }

    private QueueTriggerMessage Received(string token) => Assert.Single(app.Recorder.Messages, m => m.Text.Contains(token, StringComparison.Ordinal));

    [Fact]
    public async Task ADoubleEncodedQueueMessageReachesTheHandlerDecodedWithItsMetadata()
    {
        var token = Guid.NewGuid().ToString();
        var text = $$"""{"applicationId":"{{token}}","startup":"杭州云栖科技"}""";

        using var response = await InvokeAsync("ProcessApplication", DoubleEncodedQueuePayload("800ae4b3-bdd2-4c08-badd-f08e5a34b865", text));

        await AssertSucceededAsync(response);
        var message = Received(token);
        Assert.Equal(text, message.Text);
        Assert.Equal("800ae4b3-bdd2-4c08-badd-f08e5a34b865", message.Id);
        Assert.Equal(1, message.DequeueCount);
        Assert.Null(message.PopReceipt);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.Zero), message.InsertedOn);
        Assert.Equal(new DateTimeOffset(2025, 1, 8, 10, 0, 0, TimeSpan.Zero), message.ExpiresOn);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 10, 10, 1, TimeSpan.Zero), message.NextVisibleOn);
    }

    [Fact]
    public async Task ASingleEncodedQueueMessageAsTheDocsShowItReachesTheHandlerTheSame()
    {
        var token = Guid.NewGuid().ToString();
        var text = $$"""{"applicationId":"{{token}}"}""";

        using var response = await InvokeAsync("ProcessApplication", SingleEncodedQueuePayload("single-id", text));

        await AssertSucceededAsync(response);
        var message = Received(token);
        Assert.Equal(text, message.Text);
        Assert.Equal("single-id", message.Id);
        Assert.Equal(1, message.DequeueCount);
        Assert.Null(message.PopReceipt);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.Zero), message.InsertedOn);
    }

    [Theory]
    [InlineData("\"3\"")]
    [InlineData("3")]
    [InlineData("\"\\\"3\\\"\"")]
    public async Task TheDequeueCountIsReadAsAStringANumberOrADoubleEncodedString(string dequeueCount)
    {
        var token = Guid.NewGuid().ToString();

        using var response = await InvokeAsync("ProcessApplication", DoubleEncodedQueuePayload("id-" + token, token, dequeueCount));

        await AssertSucceededAsync(response);
        Assert.Equal(3, Received(token).DequeueCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task APlainTextMessageIsUnwrappedOnceAndOnlyOnce(bool doubleEncoded)
    {
        var token = "plain text " + Guid.NewGuid();
        var payload = doubleEncoded ? DoubleEncodedQueuePayload("x", token) : SingleEncodedQueuePayload("x", token);

        using var response = await InvokeAsync("ProcessApplication", payload);

        await AssertSucceededAsync(response);
        Assert.Equal(token, Received(token).Text);
    }

    [Fact]
    public async Task AMessageTheHostSentAsAJsonObjectIsPassedOnAsJsonText()
    {
        var token = Guid.NewGuid().ToString();
        var payload = $$$"""{"Data":{"message":{"applicationId":"{{{token}}}","seats":3}},"Metadata":{"Id":"\"obj\"","DequeueCount":"2"}}""";

        using var response = await InvokeAsync("ProcessApplication", payload);

        await AssertSucceededAsync(response);
        var message = Received(token);
        var json = JsonDocument.Parse(message.Text).RootElement;
        Assert.Equal(token, json.GetProperty("applicationId").GetString());
        Assert.Equal(3, json.GetProperty("seats").GetInt32());
        Assert.Equal("obj", message.Id);
        Assert.Equal(2, message.DequeueCount);
    }

    [Fact]
    public async Task WithoutMetadataTheMessageHasNoIdAndCountsAsAFirstDelivery()
    {
        var token = Guid.NewGuid().ToString();

        using var response = await InvokeAsync("ProcessApplication", $$$"""{"Data":{"message":"\"{{{token}}}\""}}""");

        await AssertSucceededAsync(response);
        var message = Received(token);
        Assert.Equal(token, message.Text);
        Assert.Equal("", message.Id);
        Assert.Equal(1, message.DequeueCount);
        Assert.Null(message.InsertedOn);
        Assert.Null(message.ExpiresOn);
        Assert.Null(message.NextVisibleOn);
    }

    [Fact]
    public async Task TheBindingNameAndPayloadKeysAreMatchedInAnyCase()
    {
        var token = Guid.NewGuid().ToString();

        using var response = await InvokeAsync("ProcessApplication", $$$"""{"data":{"MESSAGE":"\"{{{token}}}\""},"metadata":{"dequeueCount":"4"}}""");

        await AssertSucceededAsync(response);
        Assert.Equal(4, Received(token).DequeueCount);
    }

    [Fact]
    public async Task AHandlerExceptionFailsTheInvocationWith500AndNoExceptionText()
    {
        var token = "boom-" + Guid.NewGuid();

        using var response = await InvokeAsync("ProcessApplication", DoubleEncodedQueuePayload("failing", token, "\"2\""));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("internal-error", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        Assert.DoesNotContain(token, body, StringComparison.Ordinal);
        Assert.DoesNotContain("handler failed", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.Equal(2, Received(token).DequeueCount);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"Metadata":{"Id":"\"x\""}}""")]
    [InlineData("""{"Data":"message"}""")]
    [InlineData("""{"Data":{"other":"\"x\""}}""")]
    [InlineData("""{"Data":{"message":null}}""")]
    [InlineData("""{"Data":{"message":"\"x\""},"Metadata":{"DequeueCount":"many"}}""")]
    [InlineData("""{"Data":{"message":"\"x\""},"Metadata":{"DequeueCount":0}}""")]
    public async Task AMalformedQueuePayloadIsRefusedWith400(string payload)
    {
        var before = app.Recorder.Messages.Count;

        using var response = await InvokeAsync("ProcessApplication", payload);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, app.Recorder.Messages.Count);
    }

    [Fact]
    public async Task ATimerPayloadWithAScheduleStatusReachesTheHandler()
    {
        // Section 2.5: Last is the host's "never" before the first recorded run.
        const string Payload = """
            {
              "Data": { "timer": {
                  "Schedule": { "AdjustForDST": true },
                  "ScheduleStatus": { "Last": "0001-01-01T00:00:00", "Next": "2024-11-30T14:45:51+00:00",
                                      "LastUpdated": "2024-11-30T14:43:50.403838+00:00" },
                  "IsPastDue": false } },
              "Metadata": { "sys": { "MethodName": "SweepApplications", "UtcNow": "2024-11-30T14:43:50.46239Z", "RandGuid": "fa3b1c2d-0000-4000-8000-000000000001" } }
            }
            """;

        using var response = await InvokeAsync("SweepApplications", Payload);

        await AssertSucceededAsync(response);
        var timer = app.Recorder.Timers.Last();
        Assert.Equal(new TimerTriggerInfo(false, null, new DateTimeOffset(2024, 11, 30, 14, 45, 51, TimeSpan.Zero)), timer);
    }

    [Theory]
    [InlineData("""{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":true}},"Metadata":{}}""")]
    [InlineData("""{"Data":{"timer":{"IsPastDue":true}}}""")]
    [InlineData("""{"Data":{"timer":{"IsPastDue":"true"}}}""")]
    [InlineData("""{"Data":{"timer":"{\"IsPastDue\":true,\"ScheduleStatus\":null}"}}""")]
    public async Task ATimerPayloadWithoutAScheduleStatusHasNoLastOrNext(string payload)
    {
        using var response = await InvokeAsync("SweepApplications", payload);

        await AssertSucceededAsync(response);
        Assert.Equal(new TimerTriggerInfo(true, null, null), app.Recorder.Timers.Last());
    }

    [Fact]
    public async Task TimerTimestampsWithoutAnOffsetAreUtc()
    {
        const string Payload = """{"Data":{"timer":{"ScheduleStatus":{"Last":"2024-11-30T14:44:00","Next":"2024-11-30T14:45:00.0000000"},"IsPastDue":false}}}""";

        using var response = await InvokeAsync("SweepApplications", Payload);

        await AssertSucceededAsync(response);
        Assert.Equal(
            new TimerTriggerInfo(false, new DateTimeOffset(2024, 11, 30, 14, 44, 0, TimeSpan.Zero), new DateTimeOffset(2024, 11, 30, 14, 45, 0, TimeSpan.Zero)),
            app.Recorder.Timers.Last());
    }

    [Theory]
    [InlineData("""{"Data":{}}""")]
    [InlineData("""{"Data":{"timer":"not a timer"}}""")]
    [InlineData("""{"Data":{"timer":{"IsPastDue":"perhaps"}}}""")]
    public async Task AMalformedTimerPayloadIsRefusedWith400(string payload)
    {
        using var response = await InvokeAsync("SweepApplications", payload);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AQueueFunctionWithoutARegisteredHandlerFailsItsInvocations()
    {
        using var response = await InvokeAsync(CustomHandlerApp.UnhandledQueueFunction, DoubleEncodedQueuePayload("p", "{}"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task OnlyPostInvokesATrigger()
    {
        using var response = await app.Client.GetAsync(new Uri("/ProcessApplication", UriKind.Relative));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}

/// <summary>Without the Functions host, nobody outside may invoke a queue or timer function.</summary>
public sealed class StandaloneTriggerEndpointTests
{
    [Fact]
    public async Task StandaloneTheTriggerRoutesDoNotExist()
    {
        await using var api = new ApiFactory((await Azurite.Shared).ConnectionString);
        await using var factory = api.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TriggerRecorder>();
            // No queue listener is wanted here: point it at a queue nobody writes to.
            services.AddQueueTrigger<RecordingQueueHandler>("ProcessApplication");
        }).UseSetting("ApplicationsQueue", Azurite.UniqueName("idle")));
        using var client = factory.CreateClient();
        using var content = new StringContent("""{"Data":{"message":"\"x\""}}""", Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(new Uri("/ProcessApplication", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(factory.Services.GetRequiredService<TriggerRecorder>().Messages);
    }
}
