using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Matching;
using ServerlessInnovation.Domain.Startups;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Tests.Domain;
using ServerlessInnovation.Tests.Infrastructure;

namespace ServerlessInnovation.Tests.Api;

/// <summary>Submitting, deciding, following and withdrawing applications, on one app over the demo catalog.</summary>
public sealed class ApplicationsApiTests(DemoApp app) : IClassFixture<DemoApp>
{
    private static int _nextCarrier;

    private HttpClient Client => app.Client;
    private IServiceProvider Services => app.Factory.Services;

    /// <summary>A demo carrier that admits <see cref="MatchesApiTests.Profile"/> and has room; a different one for every call.</summary>
    private static Carrier AdmittingCarrier()
    {
        var profile = new StartupProfile
        {
            Stage = StartupStage.Yellow, RegisteredOn = new DateOnly(2026, 3, 1), Industry = Industries.ArtificialIntelligence, TeamSize = 6,
            RdStaffSharePercent = 50, LastYearRevenueCny = 300_000, LastYearRdExpenseCny = 200_000, Space = SpaceNeed.Area(120),
        };
        var admitting = DemoCatalog.Hangzhou().Carriers
            .Where(c => c.FreeAreaM2 >= 600 && Eligibility.Failures(c, profile, Build.Today, TechSmeAssessment.Assess(profile)).Count == 0)
            .ToList();
        return admitting[Interlocked.Increment(ref _nextCarrier) % admitting.Count];
    }

    private static JsonObject Submission(params string[] carrierIds) => new()
    {
        ["profile"] = MatchesApiTests.Profile(),
        ["carrierIds"] = new JsonArray([.. carrierIds.Select(id => (JsonNode)id)]),
    };

    private async Task<JsonElement> SubmitAsync(JsonObject submission, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/applications") { Content = JsonContent.Create(submission) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal($"/api/applications/{body.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return body;
    }

    private async Task<JsonElement> GetAsync(JsonElement submitted, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, submitted.GetProperty("statusUrl").GetString());
        request.Headers.Add("X-Application-Token", token ?? submitted.GetProperty("accessToken").GetString());
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> WithdrawAsync(JsonElement submitted)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, submitted.GetProperty("withdrawUrl").GetString());
        request.Headers.Add("X-Application-Token", submitted.GetProperty("accessToken").GetString());
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private Task ProcessAsync(JsonElement submitted) => ProcessAsync(submitted, redelivered: true);

    private Task ProcessAsync(JsonElement submitted, bool redelivered) =>
        Services.GetRequiredService<ApplicationProcessor>().ProcessAsync([submitted.GetProperty("id").GetString()!], redelivered, CancellationToken.None);

    private async Task<Carrier> StoredAsync(Carrier carrier) =>
        (await Services.GetRequiredService<CatalogTable>().GetCarrierAsync(carrier.DistrictCode, carrier.Id, CancellationToken.None))!.Value.Carrier;

    private async Task<Carrier> WithFreeAreaAsync(Carrier carrier, double freeArea)
    {
        var changed = await StoredAsync(carrier) with { FreeAreaM2 = freeArea, FreeWorkstations = 0 };
        await Services.GetRequiredService<CatalogTable>().SaveCarriersAsync([changed], CancellationToken.None);
        return changed;
    }

    /// <summary>Takes a 120 m² seat at the carrier for the application, the way a decision does, without recording anything.</summary>
    private async Task TakeSeatAsync(Carrier carrier, JsonElement submitted)
    {
        var ledger = Services.GetRequiredService<SeatLedger>();
        var state = await ledger.GetCarrierAsync(new ChosenCarrier(carrier.Id, carrier.DistrictCode), CancellationToken.None);
        var stored = await Services.GetRequiredService<ApplicationStore>().GetAsync(submitted.GetProperty("id").GetString()!, CancellationToken.None);
        Assert.Equal(ReserveOutcome.Reserved,
            await ledger.ReserveAsync(state!, new(ServerlessInnovation.Domain.Applications.SeatKind.Area, 120), stored!, DateTimeOffset.UtcNow, CancellationToken.None));
    }

    private static string Status(JsonElement application) => application.GetProperty("status").GetProperty("code").GetString()!;

    [Fact]
    public async Task ASubmissionIsAcceptedAtOnceAndShowsAsSubmitted()
    {
        var carrier = AdmittingCarrier();

        var submitted = await SubmitAsync(Submission(carrier.Id));
        var application = await GetAsync(submitted);

        Assert.Equal("submitted", Status(submitted));
        Assert.Equal(43, submitted.GetProperty("accessToken").GetString()!.Length);
        Assert.Equal("submitted", Status(application));
        Assert.Equal(carrier.Id, application.GetProperty("choices")[0].GetProperty("carrierId").GetString());
        Assert.Equal(carrier.Name, application.GetProperty("choices")[0].GetProperty("name").GetString());
        Assert.Single(application.GetProperty("history").EnumerateArray());
    }

    [Fact]
    public async Task AnAdmittingCarrierWithRoomAcceptsAndTheSeatIsTakenOnce()
    {
        var carrier = await WithFreeAreaAsync(AdmittingCarrier(), 500);
        var submitted = await SubmitAsync(Submission(carrier.Id));

        // Two first deliveries at once (a duplicated message), then a redelivery.
        await Task.WhenAll(ProcessAsync(submitted, redelivered: false), ProcessAsync(submitted, redelivered: false));
        await ProcessAsync(submitted);
        var application = await GetAsync(submitted);

        Assert.Equal("accepted", Status(application));
        Assert.Equal(carrier.Id, application.GetProperty("carrier").GetProperty("carrierId").GetString());
        Assert.Equal(120, application.GetProperty("seat").GetProperty("amount").GetDouble());
        Assert.Contains("已为您预留120平方米", application.GetProperty("reasons")[0].GetProperty("zh").GetString(), StringComparison.Ordinal);
        Assert.Equal(["submitted", "accepted"], application.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("status").GetProperty("code").GetString()));
        Assert.Equal(380, (await StoredAsync(carrier)).FreeAreaM2);
        var ledger = Services.GetRequiredService<SeatLedger>();
        Assert.Single(await ledger.ReservationsAtAsync(new ChosenCarrier(carrier.Id, carrier.DistrictCode), CancellationToken.None));
        var forwarded = await Services.GetRequiredService<SeatLedger>().ApplicationsAtAsync(new ChosenCarrier(carrier.Id, carrier.DistrictCode), CancellationToken.None);
        Assert.Equal((submitted.GetProperty("id").GetString()!, "accepted"), Assert.Single(forwarded));
    }

    [Fact]
    public async Task ASeatTakenBeforeACrashIsTheDecisionAfterIt()
    {
        var carrier = await WithFreeAreaAsync(AdmittingCarrier(), 500);
        var submitted = await SubmitAsync(Submission(carrier.Id));
        await TakeSeatAsync(carrier, submitted);

        await ProcessAsync(submitted);

        Assert.Equal("accepted", Status(await GetAsync(submitted)));
        Assert.Equal(380, (await StoredAsync(carrier)).FreeAreaM2);
    }

    [Fact]
    public async Task AWaitlistingRecordedWhileAnEarlierAttemptHeldASeatBecomesTheAcceptanceOfThatSeat()
    {
        // An attempt took the last seat and stopped before recording; a duplicate, finding the carrier full, waitlisted
        // the application. The redelivered message gives the applicant the seat instead of giving it back.
        var carrier = await WithFreeAreaAsync(AdmittingCarrier(), 500);
        var submitted = await SubmitAsync(Submission(carrier.Id));
        var id = submitted.GetProperty("id").GetString()!;
        var ledger = Services.GetRequiredService<SeatLedger>();
        var store = Services.GetRequiredService<ApplicationStore>();
        await TakeSeatAsync(carrier, submitted);
        var stored = (await store.GetAsync(id, CancellationToken.None))!;
        var waitlisted = await store.ReplaceAsync(stored.Then(ServerlessInnovation.Domain.Applications.ApplicationStatus.Waitlisted, DateTimeOffset.UtcNow,
            [new("已进入候补", "On the waiting list")]) with { CarrierId = carrier.Id, ForwardedTo = [carrier.Id] }, CancellationToken.None);
        await ledger.ForwardAsync(waitlisted, new ChosenCarrier(carrier.Id, carrier.DistrictCode), CancellationToken.None);

        await ProcessAsync(submitted);

        var application = await GetAsync(submitted);
        Assert.Equal("accepted", Status(application));
        Assert.Equal(["submitted", "waitlisted", "accepted"], application.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("status").GetProperty("code").GetString()));
        Assert.Equal(380, (await StoredAsync(carrier)).FreeAreaM2);
        Assert.Equal(id, Assert.Single(await ledger.ReservationsAtAsync(new ChosenCarrier(carrier.Id, carrier.DistrictCode), CancellationToken.None)).ApplicationId);
        Assert.Equal((id, "accepted"), Assert.Single(await ledger.ApplicationsAtAsync(new ChosenCarrier(carrier.Id, carrier.DistrictCode), CancellationToken.None)));
    }

    [Fact]
    public async Task ARedeliveredMessageGivesBackASeatHeldAtAnotherChoiceThanTheAcceptedOne()
    {
        var accepting = await WithFreeAreaAsync(AdmittingCarrier(), 500);
        var other = await WithFreeAreaAsync(AdmittingCarrier(), 500);
        var submitted = await SubmitAsync(Submission(accepting.Id, other.Id));
        await ProcessAsync(submitted, redelivered: false);
        // A duplicate attempt that crashed had taken a seat at the second choice.
        await TakeSeatAsync(other, submitted);
        Assert.Equal(380, (await StoredAsync(other)).FreeAreaM2);

        await ProcessAsync(submitted);

        var application = await GetAsync(submitted);
        Assert.Equal("accepted", Status(application));
        Assert.Equal(accepting.Id, application.GetProperty("carrier").GetProperty("carrierId").GetString());
        Assert.Equal(380, (await StoredAsync(accepting)).FreeAreaM2);
        Assert.Equal(500, (await StoredAsync(other)).FreeAreaM2);
        Assert.Empty(await Services.GetRequiredService<SeatLedger>().ReservationsAtAsync(new ChosenCarrier(other.Id, other.DistrictCode), CancellationToken.None));
    }

    [Fact]
    public async Task ASeatFreedByASaveOfTheCatalogIsSeenByTheNextDecisionAtOnce()
    {
        // The bureau's save, in this instance, gives the carrier room again.
        var (carrier, second) = await FillFreeAndApplyAgainAsync(full => WithFreeAreaAsync(full, 120));

        Assert.Equal("accepted", Status(await GetAsync(second)));
        Assert.Equal(0, (await StoredAsync(carrier)).FreeAreaM2);
    }

    [Fact]
    public async Task ASeatFreedByAnotherInstanceIsSeenOnceTheRememberedVersionIsOlderThanTheFreshnessBound()
    {
        var (carrier, second) = await FillFreeAndApplyAgainAsync(async full =>
        {
            // Another instance gives a seat back: this one does not hear of it.
            var carriers = Services.GetRequiredService<ServerlessInnovation.Storage.Tables.TableServiceClient>()
                .GetTableClient(Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CatalogOptions>>().Value.CarrierTable);
            await carriers.UpsertEntityAsync(new ServerlessInnovation.Storage.Tables.TableEntity(full.DistrictCode, full.Id) { ["FreeAreaM2"] = 120.0 },
                ServerlessInnovation.Storage.Tables.TableUpdateMode.Merge, CancellationToken.None);
            await Task.Delay(Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApplicationOptions>>().Value.CarrierStateFreshFor
                + TimeSpan.FromMilliseconds(200));
        });

        Assert.Equal("accepted", Status(await GetAsync(second)));
        Assert.Equal(0, (await StoredAsync(carrier)).FreeAreaM2);
    }

    /// <summary>
    /// Gives a one-seat carrier's seat to a first application (so this instance remembers the carrier full), frees the
    /// seat with <paramref name="freeTheSeat"/>, then submits and decides a second application for it.
    /// </summary>
    private async Task<(Carrier Carrier, JsonElement Second)> FillFreeAndApplyAgainAsync(Func<Carrier, Task> freeTheSeat)
    {
        var carrier = await WithFreeAreaAsync(AdmittingCarrier(), 120);
        var first = await SubmitAsync(Submission(carrier.Id));
        await ProcessAsync(first, redelivered: false);
        Assert.Equal("accepted", Status(await GetAsync(first)));

        await freeTheSeat(carrier);
        var second = await SubmitAsync(Submission(carrier.Id));
        await ProcessAsync(second, redelivered: false);
        return (carrier, second);
    }

    [Fact]
    public async Task WithdrawingGivesTheSeatBackOnceAndRepeatingChangesNothing()
    {
        var carrier = await WithFreeAreaAsync(AdmittingCarrier(), 500);
        var submitted = await SubmitAsync(Submission(carrier.Id));
        await ProcessAsync(submitted);

        var withdrawn = await WithdrawAsync(submitted);
        var again = await WithdrawAsync(submitted);
        await ProcessAsync(submitted);

        Assert.Equal("withdrawn", Status(withdrawn));
        Assert.Equal("withdrawn", Status(again));
        Assert.Equal(3, again.GetProperty("history").GetArrayLength());
        Assert.Equal(500, (await StoredAsync(carrier)).FreeAreaM2);
        Assert.Empty(await Services.GetRequiredService<SeatLedger>().ReservationsAtAsync(new ChosenCarrier(carrier.Id, carrier.DistrictCode), CancellationToken.None));
        var forwarded = await Services.GetRequiredService<SeatLedger>().ApplicationsAtAsync(new ChosenCarrier(carrier.Id, carrier.DistrictCode), CancellationToken.None);
        Assert.Equal("withdrawn", Assert.Single(forwarded).Status);
    }

    [Fact]
    public async Task AnApplicationWithdrawnBeforeItsDecisionTakesNoSeat()
    {
        var carrier = await WithFreeAreaAsync(AdmittingCarrier(), 500);
        var submitted = await SubmitAsync(Submission(carrier.Id));

        await WithdrawAsync(submitted);
        await ProcessAsync(submitted);

        Assert.Equal("withdrawn", Status(await GetAsync(submitted)));
        Assert.Equal(500, (await StoredAsync(carrier)).FreeAreaM2);
    }

    [Fact]
    public async Task AFullCarrierWaitlistsAndRulesThatDoNotAdmitReject()
    {
        var full = await WithFreeAreaAsync(AdmittingCarrier(), 50);
        var strict = await StoredAsync(AdmittingCarrier()) with { EntryRules = [EntryRule.MaxCompanyAge(3)] };
        await Services.GetRequiredService<CatalogTable>().SaveCarriersAsync([strict], CancellationToken.None);
        var waitlisted = await SubmitAsync(Submission(full.Id));
        var rejected = await SubmitAsync(Submission(strict.Id));

        await ProcessAsync(waitlisted);
        await ProcessAsync(rejected);

        var onWaitlist = await GetAsync(waitlisted);
        Assert.Equal("waitlisted", Status(onWaitlist));
        Assert.Contains("已进入候补", onWaitlist.GetProperty("reasons")[0].GetProperty("zh").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, onWaitlist.GetProperty("seat").ValueKind);
        var refused = await GetAsync(rejected);
        Assert.Equal("rejected", Status(refused));
        Assert.Contains("成立时间超过3个月", refused.GetProperty("reasons")[0].GetProperty("zh").GetString(), StringComparison.Ordinal);
        Assert.Equal(50, (await StoredAsync(full)).FreeAreaM2);
    }

    [Fact]
    public async Task ConcurrentDecisionsNeverGiveMoreSeatsThanThereAre()
    {
        var carrier = await WithFreeAreaAsync(AdmittingCarrier(), 1_000);
        var submissions = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => SubmitAsync(Submission(carrier.Id))));

        await Task.WhenAll(submissions.Select(ProcessAsync));

        var statuses = await Task.WhenAll(submissions.Select(async s => Status(await GetAsync(s))));
        Assert.Equal(8, statuses.Count(s => s == "accepted"));
        Assert.Equal(22, statuses.Count(s => s == "waitlisted"));
        Assert.Equal(1_000 - 8 * 120, (await StoredAsync(carrier)).FreeAreaM2);
        Assert.Equal(8, (await Services.GetRequiredService<SeatLedger>().ReservationsAtAsync(new ChosenCarrier(carrier.Id, carrier.DistrictCode), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task TheSameIdempotencyKeyGivesTheSameApplicationAndADifferentBodyIsRefused()
    {
        var carrier = AdmittingCarrier();
        var key = Guid.NewGuid().ToString();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SubmitAsync(Submission(carrier.Id), key)));
        using var other = new HttpRequestMessage(HttpMethod.Post, "/api/applications") { Content = JsonContent.Create(Submission(carrier.Id, AdmittingCarrier().Id)) };
        other.Headers.Add("Idempotency-Key", key);
        using var refused = await Client.SendAsync(other);

        Assert.Single(results.Select(r => r.GetProperty("id").GetString()).Distinct());
        Assert.Single(results.Select(r => r.GetProperty("accessToken").GetString()).Distinct());
        await Problem.AssertAsync(refused, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
    }

    [Fact]
    public async Task OneApplicationSubmittedTwiceTogetherIsStoredAndQueuedOnce()
    {
        // Two requests with the same Idempotency-Key, both before either stored it, bring the same id to one group.
        var intake = Services.GetRequiredService<ApplicationIntake>();
        var store = Services.GetRequiredService<ApplicationStore>();
        var submitted = await SubmitAsync(Submission(AdmittingCarrier().Id));
        var template = (await store.GetAsync(submitted.GetProperty("id").GetString()!, CancellationToken.None))!;
        var application = template with { Id = ApplicationRecord.NewId(DateTimeOffset.UtcNow), ETag = default };
        var other = template with { Id = ApplicationRecord.NewId(DateTimeOffset.UtcNow), ETag = default };

        var results = await Task.WhenAll(intake.SubmitAsync(application), intake.SubmitAsync(application), intake.SubmitAsync(other));

        Assert.Single(results[..2], r => r is not null);
        Assert.Equal(application.Id, results[..2].Single(r => r is not null)!.Id);
        Assert.Equal(other.Id, results[2]?.Id);
        Assert.Equal(ServerlessInnovation.Domain.Applications.ApplicationStatus.Submitted, (await store.GetAsync(application.Id, CancellationToken.None))?.Status);
    }

    [Fact]
    public async Task AMatchIdStandsInForTheProfileAndAForgedOneIsRefused()
    {
        using var matched = await Client.PostAsJsonAsync("/api/matches", MatchesApiTests.Profile());
        var matchId = JsonDocument.Parse(await matched.Content.ReadAsStringAsync()).RootElement.GetProperty("matchId").GetString()!;
        var carrier = AdmittingCarrier();

        var submitted = await SubmitAsync(new JsonObject { ["matchId"] = matchId, ["carrierIds"] = new JsonArray(carrier.Id) });
        var forged = matchId[..^3] + (matchId[^3] == 'A' ? "BBB" : "AAA");
        using var refused = await Client.PostAsJsonAsync("/api/applications", new JsonObject { ["matchId"] = forged, ["carrierIds"] = new JsonArray(carrier.Id) });

        await ProcessAsync(submitted);
        Assert.Equal("accepted", Status(await GetAsync(submitted)));
        var problem = await Problem.AssertAsync(refused, HttpStatusCode.BadRequest, "validation-failed");
        Problem.FieldError(problem, "matchId", "invalid-match-id");
    }

    [Fact]
    public async Task AnExpiredMatchIdIsRefused()
    {
        var secrets = Services.GetRequiredService<ApplicationSecrets>();
        var profile = ProfileRecord.From(Build.Profile());

        Assert.NotNull(secrets.ReadMatchId(secrets.CreateMatchId(profile, DateTimeOffset.UtcNow.AddHours(-23)), DateTimeOffset.UtcNow));
        Assert.Null(secrets.ReadMatchId(secrets.CreateMatchId(profile, DateTimeOffset.UtcNow.AddHours(-25)), DateTimeOffset.UtcNow));
        Assert.Null(secrets.ReadMatchId(secrets.CreateMatchId(profile, DateTimeOffset.UtcNow.AddHours(1)), DateTimeOffset.UtcNow));
        Assert.Null(secrets.ReadMatchId("not.a-token", DateTimeOffset.UtcNow));
        Assert.Null(secrets.ReadMatchId(new string('a', 5000), DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task OnlyTheApplicantsTokenOpensAnApplication()
    {
        var mine = await SubmitAsync(Submission(AdmittingCarrier().Id));
        var theirs = await SubmitAsync(Submission(AdmittingCarrier().Id));

        using var noToken = await Client.GetAsync(new Uri(mine.GetProperty("statusUrl").GetString()!, UriKind.Relative));
        using var wrongToken = new HttpRequestMessage(HttpMethod.Get, mine.GetProperty("statusUrl").GetString());
        wrongToken.Headers.Add("X-Application-Token", theirs.GetProperty("accessToken").GetString());
        using var withTheirs = await Client.SendAsync(wrongToken);
        using var unknown = new HttpRequestMessage(HttpMethod.Get, "/api/applications/20261122-00000000000000000000000000000000");
        unknown.Headers.Add("X-Application-Token", mine.GetProperty("accessToken").GetString());
        using var notThere = await Client.SendAsync(unknown);

        await Problem.AssertAsync(noToken, HttpStatusCode.Unauthorized, "token-required");
        Assert.NotEmpty(noToken.Headers.WwwAuthenticate);
        var refusedBody = await Problem.AssertAsync(withTheirs, HttpStatusCode.NotFound, "not-found");
        var missingBody = await Problem.AssertAsync(notThere, HttpStatusCode.NotFound, "not-found");
        Assert.Equal(refusedBody.GetProperty("detail").GetString(), missingBody.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"carrierIds":["xihu-001"]}""", "profile", "required")]
    [InlineData("""{"profile":{},"matchId":"x","carrierIds":["xihu-001"]}""", "profile", "one-of")]
    [InlineData("""{"matchId":"x"}""", "carrierIds", "required")]
    [InlineData("""{"matchId":"x","carrierIds":["xihu-001","xihu-002","xihu-003","xihu-004"]}""", "carrierIds", "too-many-items")]
    [InlineData("""{"matchId":"x","carrierIds":["no-such-carrier"]}""", "carrierIds[0]", "unknown-carrier")]
    [InlineData("""{"matchId":"x","carrierIds":["NOT VALID"]}""", "carrierIds[0]", "unknown-carrier")]
    [InlineData("""{"matchId":"x","carrierIds":["xihu-001","xihu-001"]}""", "carrierIds[1]", "duplicate-item")]
    [InlineData("""{"profile":{"stage":"purple"},"carrierIds":["xihu-001"]}""", "profile.stage", "unknown-code")]
    public async Task BadSubmissionsAreRefusedByField(string body, string field, string code)
    {
        using var response = await Client.PostAsync(new Uri("/api/applications", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        Problem.FieldError(problem, field, code);
    }

    [Theory]
    [InlineData("key with spaces")]
    [InlineData("这是中文")]
    public async Task AnIdempotencyKeyOfTheWrongShapeIsRefused(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/applications") { Content = JsonContent.Create(Submission(AdmittingCarrier().Id)) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        using var response = await Client.SendAsync(request);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation-failed");
        Problem.FieldError(problem, "Idempotency-Key", "invalid-key");
    }

    [Fact]
    public async Task TheSweepQueuesAStrandedApplicationAgainAndGivesUpAfterAFew()
    {
        var store = Services.GetRequiredService<ApplicationStore>();
        var processor = Services.GetRequiredService<ApplicationProcessor>();
        var submitted = await SubmitAsync(Submission(AdmittingCarrier().Id));
        var id = submitted.GetProperty("id").GetString()!;
        var clock = app.Factory.Clock;
        var start = clock.Now;
        try
        {
            clock.Now = start.AddMinutes(3);
            Assert.True(await processor.SweepAsync(CancellationToken.None) >= 1);
            Assert.Equal(1, (await store.GetAsync(id, CancellationToken.None))!.Requeued);
            for (var i = 0; i < 3; i++)
            {
                await processor.SweepAsync(CancellationToken.None);
            }
        }
        finally
        {
            clock.Now = start;
        }

        var application = await GetAsync(submitted);
        Assert.Equal("failed", Status(application));
        Assert.Contains("已转人工处理", application.GetProperty("reasons")[0].GetProperty("zh").GetString(), StringComparison.Ordinal);
    }
}
