using System.Net;
using System.Text;
using System.Text.Json;
using ServerlessInnovation.Domain.Applications;
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
    private static string HostPayload(QueueMessage message, long? dequeueCount = null) => $$"""
        {
          "Data": { "message": {{JsonSerializer.Serialize(JsonSerializer.Serialize(message.MessageText))}} },
          "Metadata": {
            "DequeueCount": {{JsonSerializer.Serialize((dequeueCount ?? message.DequeueCount).ToString(System.Globalization.CultureInfo.InvariantCulture))}},
            "ExpirationTime": {{JsonSerializer.Serialize(message.ExpiresOn)}},
            "Id": {{JsonSerializer.Serialize(JsonSerializer.Serialize(message.MessageId))}},
            "InsertionTime": {{JsonSerializer.Serialize(message.InsertedOn)}},
            "NextVisibleTime": {{JsonSerializer.Serialize(message.NextVisibleOn)}},
            "PopReceipt": {{JsonSerializer.Serialize(JsonSerializer.Serialize(message.PopReceipt))}},
            "sys": { "MethodName": "ProcessApplication", "UtcNow": {{JsonSerializer.Serialize(DateTimeOffset.UtcNow)}}, "RandGuid": "{{Guid.NewGuid()}}" }
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
        await rig.Queue.SendMessageAsync("{\"applicationId\":\"<script>\"}");
        var message = Assert.Single((await rig.Queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value);

        using var response = await InvokeAsync(app, HostPayload(message));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("FormatException", body, StringComparison.Ordinal);
        Assert.False(app.HasExited);
    }
}
