using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Applications;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Matching;
using ServerlessInnovation.Domain.Startups;
using ServerlessInnovation.Functions;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Queues;
using ServerlessInnovation.Storage.Tables;
using ServerlessInnovation.Tests.Api;
using ServerlessInnovation.Tests.Domain;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Applications;

/// <summary>An application as its applicant holds it after submitting: the id, the token, and the key it was sent with.</summary>
public sealed record Submitted(string Id, string AccessToken, string IdempotencyKey);

/// <summary>
/// Real app processes (standalone: HTTP plus their own queue listener) over one set of tables and one queue, and a view
/// of the same storage for the test to check what they did: the carrier's free area, the reservation rows, the queues.
/// One carrier of the demo catalog is given room for exactly <c>seats</c> applicants of <see cref="MatchesApiTests.Profile"/>
/// (120 m² each).
/// </summary>
public sealed class ApplicationsRig : IAsyncDisposable
{
    public const double AreaPerApplicant = 120;

    private readonly ServiceProvider _view;
    private readonly List<HandlerProcess> _processes = [];

    public ApplicationsRig(string storageConnectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        Settings = IsolatedApp.Settings(storageConnectionString);
        Settings["Catalog__RefreshInterval"] = "00:00:00.500";
        // Fast retries, and a killed process's messages back within 2 s instead of the default 10 minutes.
        Settings["Triggers__Queues__MaxPollingInterval"] = "00:00:00.500";
        Settings["Triggers__Queues__VisibilityTimeout"] = "00:00:00";
        Settings["Triggers__Queues__ProcessingVisibilityTimeout"] = "00:00:02";
        Settings["AzureWebJobs__SweepApplications__Disabled"] = "true";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            Settings[key] = value;
        }
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Settings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ":", StringComparison.Ordinal), (string?)s.Value)))
            .Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(TimeProvider.System);
        services.AddStorage(configuration).AddCatalog(configuration).AddMatching(configuration).AddApplications(configuration);
        _view = services.BuildServiceProvider();
        Queue = _view.GetRequiredService<QueueServiceClient>().GetQueueClient(Settings["ApplicationsQueue"]);
        Carrier = AdmittingCarrier();
    }

    public Dictionary<string, string> Settings { get; }

    /// <summary>The carrier every application of this rig chooses.</summary>
    public Carrier Carrier { get; }

    public QueueClient Queue { get; }

    /// <summary>The same queue, its text stored as given (no base64): for messages no sender of ours would write.</summary>
    public QueueClient RawQueue => StorageConnection.Parse(Settings["Storage"])
        .GetQueueServiceClient(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None }).GetQueueClient(Queue.Name);

    public QueueClient PoisonQueue => _view.GetRequiredService<QueueServiceClient>().GetQueueClient(Queue.PoisonQueueName);

    private ChosenCarrier Choice => new(Carrier.Id, Carrier.DistrictCode);

    /// <summary>A demo carrier that admits <see cref="MatchesApiTests.Profile"/>.</summary>
    private static Carrier AdmittingCarrier()
    {
        var profile = new StartupProfile
        {
            Stage = StartupStage.Yellow, RegisteredOn = new DateOnly(2026, 3, 1), Industry = Industries.ArtificialIntelligence, TeamSize = 6,
            RdStaffSharePercent = 50, LastYearRevenueCny = 300_000, LastYearRdExpenseCny = 200_000, Space = SpaceNeed.Area(120),
        };
        return DemoCatalog.Hangzhou().Carriers
            .First(c => Eligibility.Failures(c, profile, ChinaStandardTime.DayOf(DateTimeOffset.UtcNow), TechSmeAssessment.Assess(profile)).Count == 0);
    }

    /// <summary>Stores the demo catalog, with room for exactly <paramref name="seats"/> applicants at <see cref="Carrier"/>.</summary>
    public async Task StoreCatalogAsync(int seats)
    {
        var catalog = _view.GetRequiredService<CatalogTable>();
        await catalog.EnsureExistsAsync(CancellationToken.None);
        await catalog.SaveCarriersAsync(
            DemoCatalog.Hangzhou().Carriers.Select(c => c.Id == Carrier.Id ? c with { FreeAreaM2 = seats * AreaPerApplicant, TotalAreaM2 = Math.Max(c.TotalAreaM2, seats * AreaPerApplicant), FreeWorkstations = 0 } : c),
            CancellationToken.None);
        await catalog.RecordChangeAsync(CancellationToken.None);
    }

    /// <summary>
    /// Starts one more app process and waits until it serves the catalog: standalone, or as the Functions host runs it
    /// (then nothing in it listens on the queue; the test plays the host).
    /// </summary>
    public async Task<HandlerProcess> StartAppAsync(bool asCustomHandler = false)
    {
        var process = asCustomHandler ? await HandlerProcess.StartAsync(Settings) : await HandlerProcess.StartStandaloneAsync(Settings);
        _processes.Add(process);
        await process.WaitUntilHealthyAsync();
        return process;
    }

    public static JsonObject Submission(string carrierId) => new()
    {
        ["profile"] = MatchesApiTests.Profile(),
        ["carrierIds"] = new JsonArray(carrierId),
    };

    /// <summary>
    /// Submits as a careful client does: on an error or no answer, sends the same request again with the same
    /// Idempotency-Key, until it is accepted.
    /// </summary>
    public async Task<Submitted> SubmitAsync(Func<HttpClient> client, string? idempotencyKey = null, TimeSpan? patience = null)
    {
        var key = idempotencyKey ?? Guid.NewGuid().ToString();
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(60));
        var last = "";
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/applications") { Content = JsonContent.Create(Submission(Carrier.Id)) };
                request.Headers.Add("Idempotency-Key", key);
                using var response = await client().SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var body = JsonDocument.Parse(text).RootElement;
                    return new Submitted(body.GetProperty("id").GetString()!, body.GetProperty("accessToken").GetString()!, key);
                }
                last = $"{(int)response.StatusCode}: {text}";
                if ((int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.TooManyRequests)
                {
                    throw new InvalidOperationException($"The submission was refused with {(int)response.StatusCode}: {text}");
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
                last = exception.Message;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The submission was not accepted in time; last answer {last}. " +
                    string.Join(Environment.NewLine, _processes.Select(p => p.Output[^Math.Min(p.Output.Length, 4000)..])));
            }
            await Task.Delay(200);
        }
    }

    /// <summary>The application as its applicant sees it: <c>GET /api/applications/{id}</c> with the token.</summary>
    public static async Task<JsonElement> GetAsync(HttpClient client, Submitted submitted)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/applications/{submitted.Id}");
        request.Headers.Add("X-Application-Token", submitted.AccessToken);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static string Status(JsonElement application) => application.GetProperty("status").GetProperty("code").GetString()!;

    /// <summary>The stored status of every application of this rig, read straight from the table.</summary>
    public async Task<IReadOnlyDictionary<string, ApplicationStatus>> StoredStatusesAsync() =>
        (await StoredApplicationsAsync()).ToDictionary(a => a.Id, a => a.Status);

    /// <summary>Every application of this rig, read straight from the table.</summary>
    public async Task<IReadOnlyList<ApplicationRecord>> StoredApplicationsAsync()
    {
        var table = _view.GetRequiredService<TableServiceClient>().GetTableClient(Settings["Applications__ApplicationTable"]);
        var applications = new List<ApplicationRecord>();
        try
        {
            await foreach (var entity in table.QueryAsync())
            {
                applications.Add(ApplicationRecord.FromEntity(entity));
            }
        }
        catch (Azure.RequestFailedException exception) when (exception.Status == 404)
        {
            // Nothing submitted yet.
        }
        return applications;
    }

    /// <summary>
    /// Waits until all <paramref name="count"/> applications are decided and no message is left in the queue, visible or
    /// not: a decision is recorded before it is forwarded and its message deleted, and an attempt cut off in between is
    /// finished by the message's redelivery.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ApplicationStatus>> WaitUntilDecidedAsync(int count, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var statuses = await StoredStatusesAsync();
            if (statuses.Count >= count && statuses.Values.All(s => !s.IsPending()) && await ApproximateQueueLengthAsync(Queue) == 0)
            {
                return statuses;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"{statuses.Values.Count(s => !s.IsPending())} of {count} applications decided in time ({statuses.Count} stored: " +
                    string.Join(", ", statuses.Values.GroupBy(s => s).Select(g => $"{g.Key} {g.Count()}")) + "). " +
                    string.Join(Environment.NewLine, _processes.Select(p => p.Output[^Math.Min(p.Output.Length, 4000)..])));
            }
            await Task.Delay(250);
        }
    }

    /// <summary>The reservation rows held at <see cref="Carrier"/>: one per accepted applicant, or a seat was sold twice.</summary>
    public async Task<IReadOnlyList<string>> ReservationHoldersAsync() =>
        [.. (await _view.GetRequiredService<SeatLedger>().ReservationsAtAsync(Choice, CancellationToken.None)).Select(r => r.ApplicationId)];

    public async Task<double> FreeAreaAsync() =>
        (await _view.GetRequiredService<CatalogTable>().GetCarrierAsync(Carrier.DistrictCode, Carrier.Id, CancellationToken.None))!.Value.Carrier.FreeAreaM2;

    /// <summary>What the carrier was sent: its applications table, application id → status.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ForwardedAsync() =>
        (await _view.GetRequiredService<SeatLedger>().ApplicationsAtAsync(new ChosenCarrier(Carrier.Id, Carrier.DistrictCode), CancellationToken.None))
            .ToDictionary(f => f.ApplicationId, f => f.Status);

    public static async Task<long> ApproximateQueueLengthAsync(QueueClient queue)
    {
        try
        {
            return (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        }
        catch (Azure.RequestFailedException exception) when (exception.Status == 404)
        {
            return 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        await _view.DisposeAsync();
    }
}
