using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Functions.Http;

namespace ServerlessInnovation.Functions.GetCarrier;

/// <summary><c>GET /api/carriers/{id}</c>: one carrier with its tiers, record and entry rules.</summary>
public static class GetCarrierFunction
{
    public const string Name = "GetCarrier";

    public static IEndpointRouteBuilder MapGetCarrier(this IEndpointRouteBuilder api)
    {
        api.MapGet("/carriers/{id}", HandleAsync).WithName(Name);
        return api;
    }

    private static async Task<Results<JsonHttpResult<CarrierDetail>, ApiProblem>> HandleAsync(string id, LiveCatalog catalog, IOptions<CatalogOptions> options, CancellationToken cancellationToken)
    {
        if (!Carrier.IsValidId(id))
        {
            var errors = new FieldErrors();
            errors.Add("id", "invalid-id", new(
                $"载体编号须为1到{Carrier.MaxIdLength}个小写字母、数字或连字符",
                $"A carrier id is 1 to {Carrier.MaxIdLength} lowercase letters, digits or hyphens"));
            return Problems.Validation(errors.All);
        }
        var snapshot = await catalog.GetAsync(options.Value.FirstLoadWait, cancellationToken);
        if (snapshot is null)
        {
            return Problems.CatalogUnavailable();
        }
        var carrier = snapshot.Index.Find(id);
        if (carrier is null)
        {
            return Problems.NotFound(new($"没有编号为 {id} 的孵化载体。", $"There is no carrier with id {id}."));
        }
        var district = snapshot.Index.FindDistrict(carrier.DistrictCode)!;
        var detail = CarrierViews.Detail(carrier, district, carrier.TierOn(snapshot.Index.BuiltFor), snapshot.Index.BuiltFor, snapshot.Version);
        return TypedResults.Json(detail, ApiJsonContext.Api.CarrierDetail);
    }
}
