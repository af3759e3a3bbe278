using System.Text;
using ServerlessInnovation.Domain.Applications;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Storage.Queues;
using ServerlessInnovation.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ServerlessInnovation.Tests.Applications;

/// <summary>
/// Applications through real app processes, standalone (HTTP and the queue listener in each), on Azurite: under load,
/// across crashes of the processing process and of storage, and against duplicate, late and hostile messages. Each test
/// ends by checking the ledger: every application decided once, and the carrier's seats, reservation rows and accepted
/// applications telling the same story.
/// </summary>
public sealed class ApplicationLoadAndFaultTests(ITestOutputHelper output)
{
    /// <summary>
    /// Seats, reservations, accepted applications and what the carrier was sent all agree, and every application was
    /// decided once: one decision in its history — or, after duplicate deliveries, a waitlisting that another attempt
    /// made while this application's own seat was held, corrected to the acceptance (ApplicationProcessor.RecordAsync).
    /// </summary>
    private static async Task AssertLedgerAsync(ApplicationsRig rig, int seats, int applications)
    {
        var stored = await rig.StoredApplicationsAsync();
        Assert.Equal(applications, stored.Count);
        var accepted = stored.Where(a => a.Status == ApplicationStatus.Accepted).Select(a => a.Id).Order().ToList();
        var expectedAccepted = Math.Min(seats, applications);
        Assert.Equal(expectedAccepted, accepted.Count);
        Assert.Equal(applications - expectedAccepted, stored.Count(a => a.Status == ApplicationStatus.Waitlisted));
        Assert.All(stored, a => Assert.True(
            DecidedOnce(a) || WaitlistingCorrectedToAcceptance(a),
            a.Id + " decided as " + string.Join(", ", a.History.Select(e => e.Status))));
        Assert.Equal(accepted, (await rig.ReservationHoldersAsync()).Order().ToList());
        Assert.Equal((seats - expectedAccepted) * ApplicationsRig.AreaPerApplicant, await rig.FreeAreaAsync());
        var forwarded = await rig.ForwardedAsync();
        Assert.Equal(stored.Select(a => a.Id).Order(), forwarded.Keys.Order());
        Assert.All(stored, a => Assert.Equal(a.Status.Code(), forwarded[a.Id]));
    }

    private static string[] Decisions(ApplicationRecord application) =>
        [.. application.History.Select(e => e.Status).Where(s => s != ApplicationStatus.Submitted.Code())];

    private static bool DecidedOnce(ApplicationRecord application) => Decisions(application).Length == 1;

    private static bool WaitlistingCorrectedToAcceptance(ApplicationRecord application) =>
        application.Status == ApplicationStatus.Accepted &&
        Decisions(application).SequenceEqual([ApplicationStatus.Waitlisted.Code(), ApplicationStatus.Accepted.Code()]);

    [Fact]
    public async Task FiveHundredConcurrentApplicationsForTwentySeatsAcrossTwoProcessesEndTwentyAcceptedAndTheRestWaitlisted()
    {
        const int Seats = 20, Applications = 500;
        await using var rig = new ApplicationsRig((await Azurite.Shared).ConnectionString);
        await rig.StoreCatalogAsync(Seats);
        var apps = await Task.WhenAll(rig.StartAppAsync(), rig.StartAppAsync());

        var started = DateTime.UtcNow;
        var submitted = await Task.WhenAll(Enumerable.Range(0, Applications).Select(i => rig.SubmitAsync(() => apps[i % 2].Client)));
        var statuses = await rig.WaitUntilDecidedAsync(Applications, TimeSpan.FromSeconds(120));
        output.WriteLine($"{Applications} applications submitted and decided in {(DateTime.UtcNow - started).TotalSeconds:F1} s");

        Assert.Equal(Applications, submitted.Select(s => s.Id).Distinct().Count());
        await AssertLedgerAsync(rig, Seats, Applications);
        // The applicants see the same: a seat for twenty, the waiting list for the rest, with reasons.
        var seen = await Task.WhenAll(submitted.Select(s => ApplicationsRig.GetAsync(apps[0].Client, s)));
        Assert.Equal(Seats, seen.Count(a => ApplicationsRig.Status(a) == "accepted"));
        Assert.All(seen.Where(a => ApplicationsRig.Status(a) == "waitlisted"),
            a => Assert.Contains("候补", a.GetProperty("reasons")[0].GetProperty("zh").GetString(), StringComparison.Ordinal));
        Assert.Equal(0, await ApplicationsRig.ApproximateQueueLengthAsync(rig.PoisonQueue));
        Assert.Equal(Applications, statuses.Count);
    }

    [Fact]
    public async Task KillingTheProcessingProcessMidDecisionLosesNoApplicationAndSellsNoSeatTwice()
    {
        const int Seats = 60, Applications = 240;
        await using var rig = new ApplicationsRig((await Azurite.Shared).ConnectionString);
        await rig.StoreCatalogAsync(Seats);
        var app = await rig.StartAppAsync();
        var client = app.Client;
        // Submitted as a steady stream (four at a time, a pause after each), so decisions are under way for seconds and the
        // kills fall in the middle of them rather than after the last.
        var submitting = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var mine = new List<Submitted>();
            for (var i = 0; i < Applications / 4; i++)
            {
                mine.Add(await rig.SubmitAsync(() => client));
                await Task.Delay(15);
            }
            return mine;
        })));

        var outputs = new StringBuilder();
        for (var crash = 1; crash <= 3; crash++)
        {
            // Kill it while decisions are under way: some decided, and several waiting or in progress.
            var target = crash * Applications / 5;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                var statuses = (await rig.StoredStatusesAsync()).Values;
                if (statuses.Count(s => !s.IsPending()) >= target && statuses.Count(s => s.IsPending()) >= 4)
                {
                    break;
                }
                await Task.Delay(5);
            }
            app.Kill();
            outputs.Append(app.Output);
            output.WriteLine($"crash {crash}: killed with {(await rig.StoredStatusesAsync()).Values.Count(s => !s.IsPending())} decided");
            app = await rig.StartAppAsync();
            client = app.Client;
        }
        var submitted = (await submitting).SelectMany(lane => lane).ToList();
        await rig.WaitUntilDecidedAsync(Applications, TimeSpan.FromSeconds(120));
        outputs.Append(app.Output);

        Assert.Equal(Applications, submitted.Select(s => s.Id).Distinct().Count());
        await AssertLedgerAsync(rig, Seats, Applications);
        // The kills did interrupt decisions: messages were delivered again after them, and settled.
        Assert.Contains("(dequeue count 2)", outputs.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await ApplicationsRig.ApproximateQueueLengthAsync(rig.PoisonQueue));
    }

    /// <summary>
    /// Storage goes away under the app and restarts: every connection is cut and refused for several seconds while the
    /// emulator stops and starts again. The app reaches the emulator through TCP forwarders, cut first, so that the
    /// emulator has written all it acknowledged to disk before it stops (see <see cref="Azurite.RestartAsync"/>).
    /// </summary>
    [Fact]
    public async Task StorageRestartingMidRunLosesNoApplicationAndSellsNoSeatTwice()
    {
        const int Seats = 30, Applications = 120;
        var folder = Directory.CreateTempSubdirectory("azurite-restart-");
        var azurite = await Azurite.StartDedicatedAsync(folder.FullName);
        await using var blob = new TcpProxy(azurite.BlobPort);
        await using var queue = new TcpProxy(azurite.QueuePort);
        await using var table = new TcpProxy(azurite.TablePort);
        TcpProxy[] proxies = [blob, queue, table];
        try
        {
            var connectionString =
                $"DefaultEndpointsProtocol=http;AccountName={Azurite.AccountName};AccountKey={Azurite.AccountKey};" +
                $"BlobEndpoint=http://127.0.0.1:{blob.Port}/{Azurite.AccountName};QueueEndpoint=http://127.0.0.1:{queue.Port}/{Azurite.AccountName};" +
                $"TableEndpoint=http://127.0.0.1:{table.Port}/{Azurite.AccountName};";
            // The sweep finds any application stored but not queued when storage went away in between.
            await using var rig = new ApplicationsRig(connectionString, new Dictionary<string, string>
            {
                ["AzureWebJobs__SweepApplications__Disabled"] = "false",
                ["SweepApplicationsSchedule"] = "*/2 * * * * *",
                ["Applications__RequeueAfter"] = "00:00:05",
            });
            await rig.StoreCatalogAsync(Seats);
            var app = await rig.StartAppAsync();

            var submitting = Task.WhenAll(Enumerable.Range(0, Applications).Select(async i =>
            {
                await Task.Delay(i * 15);
                return await rig.SubmitAsync(() => app.Client, patience: TimeSpan.FromSeconds(90));
            }));
            await Task.Delay(600);
            Array.ForEach(proxies, p => p.Cut());
            await Task.Delay(Azurite.PersistInterval);
            azurite = await azurite.RestartAsync();
            Array.ForEach(proxies, p => p.Restore());
            var submitted = await submitting;
            await rig.WaitUntilDecidedAsync(Applications, TimeSpan.FromSeconds(120));

            Assert.Equal(Applications, submitted.Select(s => s.Id).Distinct().Count());
            await AssertLedgerAsync(rig, Seats, Applications);
            Assert.False(app.HasExited);
        }
        finally
        {
            azurite.Kill();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task DuplicateAndLateMessagesChangeNothing()
    {
        const int Seats = 5;
        await using var rig = new ApplicationsRig((await Azurite.Shared).ConnectionString);
        await rig.StoreCatalogAsync(Seats);
        var app = await rig.StartAppAsync();
        var submitted = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => rig.SubmitAsync(() => app.Client)));
        await rig.WaitUntilDecidedAsync(8, TimeSpan.FromSeconds(30));
        var accepted = (await rig.StoredApplicationsAsync()).First(a => a.Status == ApplicationStatus.Accepted);
        var withdrawnOne = submitted.First(s => s.Id == accepted.Id);
        using (var withdraw = new HttpRequestMessage(HttpMethod.Post, $"/api/applications/{withdrawnOne.Id}/withdraw"))
        {
            withdraw.Headers.Add("X-Application-Token", withdrawnOne.AccessToken);
            using var response = await app.Client.SendAsync(withdraw);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }

        // Every application's message again, three times over, and the withdrawn one's after its withdrawal.
        foreach (var s in submitted.Concat(submitted).Concat(submitted))
        {
            await rig.Queue.SendMessageAsync($$"""{"applicationIds":["{{s.Id}}"]}""");
        }
        await WaitForEmptyAsync(rig.Queue);

        var stored = await rig.StoredApplicationsAsync();
        Assert.Equal(ApplicationStatus.Withdrawn, stored.Single(a => a.Id == withdrawnOne.Id).Status);
        Assert.Equal(4, stored.Count(a => a.Status == ApplicationStatus.Accepted));
        Assert.Equal(3, stored.Count(a => a.Status == ApplicationStatus.Waitlisted));
        Assert.All(stored, a => Assert.Equal(1, a.History.Count(e => e.Status == ApplicationStatus.Accepted.Code() || e.Status == ApplicationStatus.Waitlisted.Code())));
        Assert.Equal(stored.Where(a => a.Status == ApplicationStatus.Accepted).Select(a => a.Id).Order(), (await rig.ReservationHoldersAsync()).Order());
        Assert.Equal(1 * ApplicationsRig.AreaPerApplicant, await rig.FreeAreaAsync());
        Assert.Equal(0, await ApplicationsRig.ApproximateQueueLengthAsync(rig.PoisonQueue));
    }

    [Fact]
    public async Task MalformedAndHostileMessagesGoToPoisonWhileTheListenerKeepsDeciding()
    {
        await using var rig = new ApplicationsRig((await Azurite.Shared).ConnectionString, new Dictionary<string, string>
        {
            ["Triggers__Queues__MaxDequeueCount"] = "3",
        });
        await rig.StoreCatalogAsync(seats: 10);
        var app = await rig.StartAppAsync();
        string[] hostile =
        [
            "not json",
            "{\"applicationIds\":",
            "{\"applicationIds\":123}",
            "{\"applicationIds\":\"20261122-0123456789abcdef0123456789abcdef\"}",
            "{\"applicationIds\":[]}",
            "{\"applicationIds\":[null]}",
            "{\"applicationIds\":[\"../../etc/passwd\"]}",
            "{\"applicationIds\":[\"20261122-' or PartitionKey ne '\"]}",
            "{\"applicationIds\":[\"20261122-0123456789abcdef0123456789abcdef\"]}",
            "{\"applicationIds\":[\"20261122-0123456789abcdef0123456789abcdef\",\"20261122-0123456789abcdef0123456789abcdef\"]}",
            "{\"applicationIds\":[" + string.Join(',', Enumerable.Range(0, 33).Select(i => $"\"20261122-{i:x32}\"")) + "]}",
            "{\"applicationId\":\"20261122-0123456789abcdef0123456789abcdef\"}",
            "<script>alert(1)</script>",
            new string('[', 5_000) + new string(']', 5_000),
            "{\"applicationIds\":[\"" + new string('x', 40_000) + "\"]}",
            "\u0000\u0001\uFFFD",
        ];
        await rig.Queue.CreateIfNotExistsAsync();
        foreach (var text in hostile)
        {
            await rig.Queue.SendMessageAsync(text);
        }
        // Stored text that is not base64 at all: it cannot even be decoded.
        await rig.RawQueue.SendMessageAsync("%%% not base64 %%%");

        var submitted = await rig.SubmitAsync(() => app.Client);
        var decided = await rig.WaitUntilDecidedAsync(1, TimeSpan.FromSeconds(30));
        await WaitForCountAsync(rig.PoisonQueue, hostile.Length + 1);

        Assert.Equal(ApplicationStatus.Accepted, decided[submitted.Id]);
        var poisoned = new List<string>();
        foreach (var message in (await rig.PoisonQueue.PeekMessagesAsync(32)).Value)
        {
            poisoned.Add(message.DecodingFailed ? "<undecodable>" : message.MessageText);
        }
        Assert.Equal(hostile.Append("<undecodable>").Order(StringComparer.Ordinal), poisoned.Order(StringComparer.Ordinal));
        Assert.Equal(0, await ApplicationsRig.ApproximateQueueLengthAsync(rig.Queue));
        Assert.False(app.HasExited);
    }

    private static async Task WaitForEmptyAsync(QueueClient queue)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await ApplicationsRig.ApproximateQueueLengthAsync(queue) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Queue {queue.Name} did not empty.");
            await Task.Delay(100);
        }
    }

    private static async Task WaitForCountAsync(QueueClient queue, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await ApplicationsRig.ApproximateQueueLengthAsync(queue) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Queue {queue.Name} did not reach {count} messages.");
            await Task.Delay(100);
        }
    }
}
