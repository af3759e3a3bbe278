using System.Net;
using System.Text;
using System.Text.Json;
using ServerlessInnovation.Domain.Applications;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Functions.ProcessApplication;
using ServerlessInnovation.Storage.Queues;
using ServerlessInnovation.Tests.Hosting;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Applications;

/// <summary>
/// ProcessApplication as the Functions host delivers it: the app runs as a custom handler (its own process, no listener
/// of its own), and the test plays the host — receives the message from the queue and invokes <c>POST /ProcessApplication</c>
/// with the contract's payload, double-encoded strings and metadata included.
/// </summary>
public sealed class ProcessApplicationHostTests
{
    /// <summary>The queue trigger's payload exactly as host 4.x sends it: strings JSON-encoded twice, the count too.</summary>
    internal static string HostPayload(QueueMessage message, long? dequeueCount = null, string function = "ProcessApplication") => $$"""
        {
          "Data": { "message": {{JsonSerializer.Serialize(JsonSerializer.Serialize(message.MessageText))}} },
          "Metadata": {
            "DequeueCount": {{JsonSerializer.Serialize((dequeueCount ?? message.DequeueCount).ToString(System.Globalization.CultureInfo.InvariantCulture))}},
            "ExpirationTime": {{JsonSerializer.Serialize(message.ExpiresOn)}},
            "Id": {{JsonSerializer.Serialize(JsonSerializer.Serialize(message.MessageId))}},
            "InsertionTime": {{JsonSerializer.Serialize(message.InsertedOn)}},
            "NextVisibleTime": {{JsonSerializer.Serialize(message.NextVisibleOn)}},
            "PopReceipt": {{JsonSerializer.Serialize(JsonSerializer.Serialize(message.PopReceipt))}},
            "sys": { "MethodName": {{JsonSerializer.Serialize(function)}}, "UtcNow": {{JsonSerializer.Serialize(DateTimeOffset.UtcNow)}}, "RandGuid": "{{Guid.NewGuid()}}" }
          }
        }
        """;

    private static async Task<HttpResponseMessage> InvokeAsync(HandlerProcess app, string payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ProcessApplication")
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        return await app.Client.SendAsync(request);
    }

    [Fact]
    public async Task TheHostsInvocationDecidesTheApplicationAndAnswersWithTheEnvelope()
    {
        await using var rig = new ApplicationsRig((await Azurite.Shared).ConnectionString);
        await rig.StoreCatalogAsync(seats: 1);
        var app = await rig.StartAppAsync(asCustomHandler: true);
        var first = await rig.SubmitAsync(() => app.Client);
        var second = await rig.SubmitAsync(() => app.Client);

        // Under the host, the app itself never takes messages: both are still queued, both applications still submitted.
        await Task.Delay(1_500);
        Assert.Equal(2, (await rig.Queue.PeekMessagesAsync(32)).Value.Length);
        Assert.All((await rig.StoredStatusesAsync()).Values, s => Assert.Equal(ApplicationStatus.Submitted, s));

        var messages = (await rig.Queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value;
        foreach (var message in messages.OrderBy(m => m.MessageText.Contains(first.Id, StringComparison.Ordinal) ? 0 : 1))
        {
            using var response = await InvokeAsync(app, HostPayload(message));
            await HostTriggerInvocationTests.AssertSucceededAsync(response);
        }

        var statuses = await rig.StoredStatusesAsync();
        Assert.Equal(ApplicationStatus.Accepted, statuses[first.Id]);
        Assert.Equal(ApplicationStatus.Waitlisted, statuses[second.Id]);
        Assert.Equal([first.Id], await rig.ReservationHoldersAsync());
        // Delivered again by the host (dequeue count 2, as after a lost answer): nothing changes.
        foreach (var message in messages)
        {
            using var response = await InvokeAsync(app, HostPayload(message, dequeueCount: 2));
            await HostTriggerInvocationTests.AssertSucceededAsync(response);
        }
        Assert.Equal(statuses, await rig.StoredStatusesAsync());
        Assert.Equal([first.Id], await rig.ReservationHoldersAsync());
        Assert.Equal(0, await rig.FreeAreaAsync());
    }

    [Fact]
    public async Task AMessageThatIsNotOursFailsTheInvocationSoTheHostRetriesAndPoisonsIt()
    {
        await using var rig = new ApplicationsRig((await Azurite.Shared).ConnectionString);
        await rig.StoreCatalogAsync(seats: 1);
        var app = await rig.StartAppAsync(asCustomHandler: true);
        await rig.Queue.CreateIfNotExistsAsync();
        await rig.Queue.SendMessageAsync("{\"applicationIds\":[\"<script>\"]}");
        var message = Assert.Single((await rig.Queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value);

        using var response = await InvokeAsync(app, HostPayload(message));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("FormatException", body, StringComparison.Ordinal);
        Assert.False(app.HasExited);
    }

    [Fact]
    public async Task SubmissionsArrivingTogetherShareMessagesAndEachIsDecidedOnce()
    {
        const int Seats = 5, Applications = 40;
        await using var rig = new ApplicationsRig((await Azurite.Shared).ConnectionString);
        await rig.StoreCatalogAsync(Seats);
        var app = await rig.StartAppAsync(asCustomHandler: true);

        var submitted = await Task.WhenAll(Enumerable.Range(0, Applications).Select(_ => rig.SubmitAsync(() => app.Client)));

        // Written together: fewer messages than applications, and every application in exactly one of them.
        var messages = new List<QueueMessage>();
        while ((await rig.Queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(60))).Value is { Length: > 0 } received)
        {
            messages.AddRange(received);
        }
        var queued = messages.SelectMany(m => ProcessApplicationHandler.ReadApplicationIds(m.MessageText)).ToList();
        Assert.Equal(submitted.Select(s => s.Id).Order(), queued.Order());
        Assert.True(messages.Count < Applications, $"{messages.Count} messages for {Applications} applications");
        Assert.All(messages, m => Assert.InRange(ProcessApplicationHandler.ReadApplicationIds(m.MessageText).Count, 1, ApplicationMessage.MaxApplications));

        // The host delivers each message once, then all of them again: seats for five, the waiting list for the rest.
        foreach (var dequeueCount in (long[])[1, 2])
        {
            foreach (var message in messages)
            {
                using var response = await InvokeAsync(app, HostPayload(message, dequeueCount));
                await HostTriggerInvocationTests.AssertSucceededAsync(response);
            }
        }
        var stored = await rig.StoredApplicationsAsync();
        Assert.Equal(Seats, stored.Count(a => a.Status == ApplicationStatus.Accepted));
        Assert.Equal(Applications - Seats, stored.Count(a => a.Status == ApplicationStatus.Waitlisted));
        Assert.All(stored, a => Assert.Single(a.History, e => e.Status is "accepted" or "waitlisted"));
        Assert.Equal(stored.Where(a => a.Status == ApplicationStatus.Accepted).Select(a => a.Id).Order(), (await rig.ReservationHoldersAsync()).Order());
        Assert.Equal(0, await rig.FreeAreaAsync());
    }

    [Fact]
    public async Task AMessageWithAnUnknownIdStillDecidesTheKnownOnesAndFailsSoTheHostRetries()
    {
        await using var rig = new ApplicationsRig((await Azurite.Shared).ConnectionString);
        await rig.StoreCatalogAsync(seats: 1);
        var app = await rig.StartAppAsync(asCustomHandler: true);
        var submitted = await rig.SubmitAsync(() => app.Client);
        var own = Assert.Single((await rig.Queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(60))).Value);
        await rig.Queue.DeleteMessageAsync(own.MessageId, own.PopReceipt);
        await rig.Queue.SendMessageAsync($$"""{"applicationIds":["{{submitted.Id}}","20261122-0123456789abcdef0123456789abcdef"]}""");
        var mixed = Assert.Single((await rig.Queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(60))).Value);

        using var response = await InvokeAsync(app, HostPayload(mixed));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(ApplicationStatus.Accepted, (await rig.StoredStatusesAsync())[submitted.Id]);
        Assert.Equal([submitted.Id], await rig.ReservationHoldersAsync());
    }
}
