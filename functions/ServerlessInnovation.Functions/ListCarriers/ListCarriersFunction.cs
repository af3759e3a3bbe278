using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Functions.Http;

namespace ServerlessInnovation.Functions.ListCarriers;

/// <summary>One page of carriers and the token for the next one (null on the last page).</summary>
public sealed record CarrierPage(IReadOnlyList<CarrierSummary> Items, int Total, string? ContinuationToken, long CatalogVersion);

/// <summary>
/// <c>GET /api/carriers</c>: the catalog filtered by district, type, tier (held today) and industry, in id order, paged with an
/// opaque continuation token (the last id served, so pages stay stable while the catalog changes).
/// </summary>
public static class ListCarriersFunction
{
    public const string Name = "ListCarriers";
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static IEndpointRouteBuilder MapListCarriers(this IEndpointRouteBuilder api)
    {
        api.MapGet("/carriers", HandleAsync).WithName(Name);
        return api;
    }

    private static async Task<Results<JsonHttpResult<CarrierPage>, ApiProblem>> HandleAsync(HttpRequest request, LiveCatalog catalog, IOptions<CatalogOptions> options, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var errors = new FieldErrors();
        var district = query["district"].ToString() is { Length: > 0 } d ? d : null;
        CarrierType? type = null;
        if (query["type"].ToString() is { Length: > 0 } typeCode)
        {
            if (CarrierTypes.TryParse(typeCode, out var parsed))
            {
                type = parsed;
            }
            else
            {
                errors.UnknownCode("type", "incubator, maker-space");
            }
        }
        var tier = query["tier"].ToString() is { Length: > 0 } tierCode ? tierCode : null;
        if (tier is not null && Tiers.Find(tier) is null)
        {
            errors.UnknownCode("tier", Tiers.Codes);
        }
        Industry? industry = null;
        if (query["industry"].ToString() is { Length: > 0 } industryCode)
        {
            if (Industries.TryParse(industryCode, out var parsed))
            {
                industry = parsed;
            }
            else
            {
                errors.UnknownCode("industry", Industries.Codes);
            }
        }
        var pageSize = DefaultPageSize;
        if (query["pageSize"].ToString() is { Length: > 0 } size &&
            (!int.TryParse(size, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            errors.OutOfRange("pageSize", 1, MaxPageSize);
        }
        string? after = null;
        if (query["continuationToken"].ToString() is { Length: > 0 } token && !TryDecodeToken(token, out after))
        {
            errors.Add("continuationToken", "invalid-token", new("续页令牌无效", "The continuation token is not valid"));
        }

        var snapshot = await catalog.GetAsync(options.Value.FirstLoadWait, cancellationToken);
        if (snapshot is null)
        {
            return Problems.CatalogUnavailable();
        }
        if (district is not null && snapshot.Index.FindDistrict(district) is null)
        {
            errors.UnknownCode("district", string.Join(", ", snapshot.Index.Districts.Select(x => x.Code)));
        }
        if (errors.Any)
        {
            return Problems.Validation(errors.All);
        }

        var index = snapshot.Index;
        bool Matches(int i)
        {
            var carrier = index.Carriers[i];
            return (district is null || carrier.DistrictCode == district) &&
                   (type is null || carrier.Type == type) &&
                   (tier is null || carrier.Tiers.Any(a => a.LevelCode == tier && a.IsInForceOn(index.BuiltFor))) &&
                   (industry is null || carrier.Industries.Contains(industry));
        }

        // One pass: count every match (total), serve a page from the token on, and note whether more follow.
        var total = 0;
        var items = new List<CarrierSummary>(pageSize);
        string? next = null;
        var start = after is null ? 0 : index.PositionAfter(after);
        for (var i = 0; i < index.Count; i++)
        {
            if (!Matches(i))
            {
                continue;
            }
            total++;
            if (i < start)
            {
                continue;
            }
            if (items.Count < pageSize)
            {
                items.Add(CarrierViews.Summary(index, i));
            }
            else
            {
                next ??= EncodeToken(items[^1].Id);
            }
        }
        return TypedResults.Json(new CarrierPage(items, total, next, snapshot.Version), ApiJsonContext.Api.CarrierPage);
    }

    private static string EncodeToken(string lastId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastId));

    private static bool TryDecodeToken(string token, out string? lastId)
    {
        lastId = null;
        if (token.Length > 128)
        {
            return false;
        }
        try
        {
            var id = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (!Carrier.IsValidId(id))
            {
                return false;
            }
            lastId = id;
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
