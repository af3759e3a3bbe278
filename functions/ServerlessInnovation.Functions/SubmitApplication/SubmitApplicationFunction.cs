using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Applications;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Functions.Http;
using ServerlessInnovation.Functions.MatchCarriers;

namespace ServerlessInnovation.Functions.SubmitApplication;

/// <summary>
/// <c>POST /api/applications</c>: one tap from a match. Checks the request, stores the application (status submitted),
/// then queues it for a decision, and answers 202 at once with where to follow it and the applicant's access token.
/// The record is written before the message, so a crash between the two loses nothing (the sweep queues it again).
/// With an <c>Idempotency-Key</c>, repeating the request returns the same application and token, never a second one.
/// </summary>
public static class SubmitApplicationFunction
{
    public const string Name = "SubmitApplication";
    public const string IdempotencyHeader = "Idempotency-Key";
    public const int MaxIdempotencyKeyLength = 128;

    public static IEndpointRouteBuilder MapSubmitApplication(this IEndpointRouteBuilder api)
    {
        api.MapPost("/applications", HandleAsync).WithName(Name);
        return api;
    }

    private static async Task<Results<Accepted<SubmittedApplication>, ApiProblem>> HandleAsync(
        HttpRequest request,
        HttpResponse response,
        LiveCatalog catalog,
        ApplicationStore store,
        ApplicationIntake intake,
        ApplicationSecrets secrets,
        IOptionsMonitor<MatchingOptions> matching,
        IOptions<CatalogOptions> catalogOptions,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(request, ApiJsonContext.Api.SubmitApplicationRequest, cancellationToken);
        if (body.Problem is { } bodyProblem)
        {
            return bodyProblem;
        }
        var errors = new FieldErrors();
        var key = request.Headers[IdempotencyHeader].ToString();
        if (key.Length > MaxIdempotencyKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            errors.Add(IdempotencyHeader, "invalid-key", new(
                $"须为1到{MaxIdempotencyKeyLength}个可见ASCII字符，建议使用UUID", $"Must be 1 to {MaxIdempotencyKeyLength} visible ASCII characters; a UUID is a good choice"));
        }
        var snapshot = await catalog.GetAsync(catalogOptions.Value.FirstLoadWait, cancellationToken);
        if (snapshot is null)
        {
            return Problems.CatalogUnavailable();
        }

        var now = time.GetUtcNow();
        var submission = body.Value!;
        var profile = ReadProfile(submission, snapshot, secrets, matching.CurrentValue.MaxTop, now, errors);
        var choices = ReadChoices(submission.CarrierIds, snapshot, errors);
        if (errors.Any || profile is null)
        {
            return Problems.Validation(errors.All);
        }

        var fingerprint = Fingerprint(profile, choices);
        var id = ApplicationRecord.NewId(now);
        if (key.Length > 0)
        {
            var keyHash = ApplicationSecrets.Hash(key);
            var earlier = await store.GetRequestAsync(keyHash, cancellationToken);
            if (earlier is null && !await store.TryAddRequestAsync(keyHash, new ApplicationRequest(id, fingerprint), now, cancellationToken))
            {
                earlier = await store.GetRequestAsync(keyHash, cancellationToken);
            }
            if (earlier is not null)
            {
                if (earlier.Fingerprint != fingerprint)
                {
                    return Problems.IdempotencyKeyReused();
                }
                id = earlier.ApplicationId;
                if (await store.GetAsync(id, cancellationToken) is { } existing)
                {
                    if (existing.Status == ApplicationStatus.Submitted)
                    {
                        // The earlier request may have stopped between storing and queuing: queue it (again). A duplicate
                        // message changes nothing; a missing one would leave the applicant waiting for the sweep.
                        await store.EnqueueAsync([existing.Id], cancellationToken);
                    }
                    return Answer(existing, secrets, response);
                }
                // The earlier request claimed the key and stopped before storing the application: store it now, same id.
            }
        }

        var application = new ApplicationRecord
        {
            Id = id,
            Status = ApplicationStatus.Submitted,
            SubmittedAt = now,
            Profile = profile,
            Choices = choices,
            TokenHash = ApplicationSecrets.Hash(secrets.AccessToken(id)),
            Reasons = [new("申请已提交，正在处理", "Your application is submitted and being processed")],
        };
        application = application with { History = [new ApplicationEvent(now, ApplicationStatus.Submitted.Code(), application.Reasons)] };
        // Stored before queued: a crash in between leaves a submitted application that a retry or the sweep queues.
        // (Null: a concurrent request with the same key stored it first, and queues it.)
        // Submissions arriving together are stored and queued together (see ApplicationIntake).
        if (await intake.SubmitAsync(application) is { } stored)
        {
            application = stored;
        }
        return Answer(application, secrets, response);
    }

    private static Accepted<SubmittedApplication> Answer(ApplicationRecord application, ApplicationSecrets secrets, HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        var url = $"/api/applications/{application.Id}";
        return TypedResults.Accepted(url, new SubmittedApplication(
            application.Id,
            ApplicationView.StatusOf(application.Status),
            application.SubmittedAt,
            secrets.AccessToken(application.Id),
            url,
            url + "/withdraw"));
    }

    private static ProfileRecord? ReadProfile(SubmitApplicationRequest submission, CatalogSnapshot snapshot, ApplicationSecrets secrets, int maxTop, DateTimeOffset now, FieldErrors errors)
    {
        switch (submission)
        {
            case { Profile: not null, MatchId: not null }:
                errors.Add("profile", "one-of", new("资料（profile）和匹配编号（matchId）只能填一项", "Give either profile or matchId, not both"));
                return null;
            case { Profile: { } given }:
                var profile = given.Validate(ChinaStandardTime.DayOf(now), snapshot.Index.Districts, maxTop, errors.Within("profile"));
                return profile is null ? null : ProfileRecord.From(profile);
            case { MatchId: { } matchId }:
                var fromMatch = secrets.ReadMatchId(matchId, now);
                if (fromMatch is null)
                {
                    errors.Add("matchId", "invalid-match-id", new("匹配编号无效或已过期，请重新匹配", "The match id is invalid or has expired; match again"));
                }
                return fromMatch;
            default:
                errors.Add("profile", "required", new("须填写资料（profile）或匹配编号（matchId）", "Give profile or matchId"));
                return null;
        }
    }

    private static List<ChosenCarrier> ReadChoices(string?[]? carrierIds, CatalogSnapshot snapshot, FieldErrors errors)
    {
        var choices = new List<ChosenCarrier>();
        if (carrierIds is null || carrierIds.Length == 0)
        {
            errors.Required("carrierIds");
            return choices;
        }
        if (carrierIds.Length > ApplicationDecision.MaxChoices)
        {
            errors.TooMany("carrierIds", ApplicationDecision.MaxChoices);
            return choices;
        }
        for (var i = 0; i < carrierIds.Length; i++)
        {
            var field = $"carrierIds[{i}]";
            var id = carrierIds[i];
            if (id is null || !Carrier.IsValidId(id) || snapshot.Index.Find(id) is not { } carrier)
            {
                errors.Add(field, "unknown-carrier", new("没有这个孵化载体", "There is no such carrier"));
            }
            else if (choices.Exists(c => c.Id == id))
            {
                errors.Duplicate(field);
            }
            else
            {
                choices.Add(new ChosenCarrier(carrier.Id, carrier.DistrictCode));
            }
        }
        return choices;
    }

    /// <summary>What makes two submissions the same request: the profile and the choices, not their JSON's spelling.</summary>
    private static string Fingerprint(ProfileRecord profile, IReadOnlyList<ChosenCarrier> choices) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            JsonSerializer.Serialize(profile, ApplicationJsonContext.Default.ProfileRecord) + "\n" + string.Join(',', choices.Select(c => c.Id)))));
}
