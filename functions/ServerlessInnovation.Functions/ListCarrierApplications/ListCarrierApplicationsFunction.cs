using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Applications;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Domain.Startups;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Functions.Bureaus;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Functions.Http;

namespace ServerlessInnovation.Functions.ListCarrierApplications;

/// <summary>An application as a bureau sees it at a carrier: what the carrier's row records, nothing of the applicant beyond it.</summary>
public sealed record CarrierApplicationView(
    string ApplicationId,
    CodeName Status,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? UpdatedAt,
    CodeName Industry,
    CodeName Stage,
    int TeamSize,
    SeatView? Seat);

/// <summary>The applications at one carrier, newest first; <c>status</c> is the filter asked for, if any.</summary>
public sealed record CarrierApplications(string CarrierId, string CarrierName, CodeName District, string? Status, int Count, IReadOnlyList<CarrierApplicationView> Items);

/// <summary>
/// <c>GET /api/bureau/carriers/{id}/applications[?status=…]</c>, for bureaus: the applications a carrier in the bureau's
/// jurisdiction has heard of, as its carrier-copy rows record them, newest first. A city bureau sees every district's
/// carriers, a district bureau only its own district's.
/// </summary>
public static partial class ListCarrierApplicationsFunction
{
    public const string Name = "ListCarrierApplications";

    public static IEndpointRouteBuilder MapListCarrierApplications(this IEndpointRouteBuilder bureau)
    {
        bureau.MapGet("/carriers/{id}/applications", HandleAsync).WithName(Name);
        return bureau;
    }

    private static async Task<Results<JsonHttpResult<CarrierApplications>, ApiProblem>> HandleAsync(
        string id,
        Bureau bureau,
        HttpRequest request,
        HttpResponse response,
        LiveCatalog catalog,
        SeatLedger ledger,
        IOptions<CatalogOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (!Carrier.IsValidId(id))
        {
            errors.Add("id", "invalid-id", new(
                $"载体编号须为1到{Carrier.MaxIdLength}个小写字母、数字或连字符",
                $"A carrier id is 1 to {Carrier.MaxIdLength} lowercase letters, digits or hyphens"));
        }
        ApplicationStatus? status = null;
        if (request.Query.TryGetValue("status", out var statusCode))
        {
            if (statusCode.Count == 1 && ApplicationStatuses.TryParse(statusCode[0], out var parsed))
            {
                status = parsed;
            }
            else
            {
                errors.UnknownCode("status", string.Join(", ", Enum.GetValues<ApplicationStatus>().Select(s => s.Code())));
            }
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.All);
        }

        var snapshot = await catalog.GetAsync(options.Value.FirstLoadWait, cancellationToken);
        if (snapshot is null)
        {
            return Problems.CatalogUnavailable();
        }
        if (snapshot.Index.Find(id) is not { } carrier)
        {
            return Problems.NotFound(new($"没有编号为 {id} 的孵化载体。", $"There is no carrier with id {id}."));
        }
        var district = snapshot.Index.FindDistrict(carrier.DistrictCode)!;
        var logger = loggers.CreateLogger(typeof(ListCarrierApplicationsFunction));
        if (!bureau.Covers(carrier.DistrictCode))
        {
            LogOutsideJurisdiction(logger, bureau.Code, carrier.Id, carrier.DistrictCode);
            return Problems.OutsideJurisdiction(bureau.Name, carrier.Id, district.Name);
        }

        var rows = await ledger.CarrierCopiesAsync(new ChosenCarrier(carrier.Id, carrier.DistrictCode), status, cancellationToken);
        LogListed(logger, bureau.Code, rows.Count, carrier.Id);
        response.Headers.CacheControl = "no-store";
        return TypedResults.Json(
            new CarrierApplications(carrier.Id, carrier.Name, new CodeName(district.Code, district.Name), status?.Code(), rows.Count, [.. rows.Select(View)]),
            ApiJsonContext.Api.CarrierApplications);
    }

    private static CarrierApplicationView View(CarrierCopyRow row) => new(
        row.ApplicationId,
        ApplicationStatuses.TryParse(row.Status, out var status) ? ApplicationView.StatusOf(status) : Unnamed(row.Status),
        row.SubmittedAt,
        row.DecidedAt,
        row.UpdatedAt,
        Industries.TryParse(row.Industry, out var industry) ? new CodeName(industry.Code, industry.Name) : Unnamed(row.Industry),
        StartupStages.TryParse(row.Stage, out var stage) ? new CodeName(stage.Code(), stage.Name()) : Unnamed(row.Stage),
        row.TeamSize,
        row.Claim is { } claim ? SeatView.From(claim) : null);

    private static CodeName Unnamed(string code) => new(code, new LocalizedText(code, code));

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Bureau {Bureau} listed {Count} applications at carrier {CarrierId}")]
    private static partial void LogListed(ILogger logger, string bureau, int count, string carrierId);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Bureau {Bureau} asked for the applications at carrier {CarrierId} in {District}, outside its jurisdiction")]
    private static partial void LogOutsideJurisdiction(ILogger logger, string bureau, string carrierId, string district);
}
