using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessInnovation.Domain.Applications;
using ServerlessInnovation.Functions.ProcessApplication;
using ServerlessInnovation.Storage.Queues;
using ServerlessInnovation.Storage.Tables;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Applications;

/// <summary>
/// An application whose processing keeps failing: its message ends in <c>applications-poison</c> after
/// <c>maxDequeueCount</c> attempts, and the applicant sees <c>failed</c> with a reason — not silence. In-process, with
/// the standalone listener on.
/// </summary>
public sealed class ApplicationFailureTests
{
    [Fact]
    public async Task AnApplicationThatKeepsFailingShowsFailedWithAReasonAndItsMessageIsPoisoned()
    {
        await using var factory = await ApiFactory.WithDemoCatalogAsync(new Dictionary<string, string?>
        {
            ["AzureWebJobs:ProcessApplication:Disabled"] = "false",
            ["Triggers:Queues:MaxDequeueCount"] = "3",
            ["Triggers:Queues:VisibilityTimeout"] = "00:00:00",
            ["Triggers:Queues:MaxPollingInterval"] = "00:00:00.200",
        });
        using var client = await factory.CreateReadyClientAsync();
        // Storage breaks under the decision: the carriers' table is gone (the catalog still serves from memory, so the
        // submission is valid), and every attempt to read a carrier fails.
        await factory.Services.GetRequiredService<TableServiceClient>().DeleteTableAsync(factory.CarrierTable);
        using var matched = await client.PostAsJsonAsync("/api/matches", Api.MatchesApiTests.Profile());
        var carrierId = JsonDocument.Parse(await matched.Content.ReadAsStringAsync()).RootElement.GetProperty("matches")[0]
            .GetProperty("carrier").GetProperty("id").GetString()!;

        using var submitted = await client.PostAsJsonAsync("/api/applications", ApplicationsRig.Submission(carrierId));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var body = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement;
        var application = new Submitted(body.GetProperty("id").GetString()!, body.GetProperty("accessToken").GetString()!, "");

        var poison = factory.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(factory.ApplicationsQueue + "-poison");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement seen;
        while (true)
        {
            seen = await ApplicationsRig.GetAsync(client, application);
            if (ApplicationsRig.Status(seen) == "failed" && await ApplicationsRig.ApproximateQueueLengthAsync(poison) > 0)
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "The application did not end failed with its message poisoned: " + seen);
            await Task.Delay(100);
        }

        Assert.Contains("已转人工处理", seen.GetProperty("reasons")[0].GetProperty("zh").GetString(), StringComparison.Ordinal);
        Assert.Contains("a person will follow up", seen.GetProperty("reasons")[0].GetProperty("en").GetString(), StringComparison.Ordinal);
        var message = Assert.Single((await poison.PeekMessagesAsync(32)).Value);
        Assert.Equal([application.Id], ProcessApplicationHandler.ReadApplicationIds(message.MessageText));
        Assert.Equal(0, await ApplicationsRig.ApproximateQueueLengthAsync(
            factory.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(factory.ApplicationsQueue)));
        Assert.Equal(ApplicationStatus.Failed.Code(), ApplicationsRig.Status(seen));
    }
}
