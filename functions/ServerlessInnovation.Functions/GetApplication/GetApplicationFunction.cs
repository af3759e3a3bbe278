using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Functions.Http;

namespace ServerlessInnovation.Functions.GetApplication;

/// <summary>
/// <c>GET /api/applications/{id}</c> with the applicant's token in <c>X-Application-Token</c>: the status, the carrier and
/// seat if any, the reasons, and the history. Without the right token an application is not found, whether it exists or not.
/// </summary>
public static class GetApplicationFunction
{
    public const string Name = "GetApplication";
    public const string TokenHeader = "X-Application-Token";

    public static IEndpointRouteBuilder MapGetApplication(this IEndpointRouteBuilder api)
    {
        api.MapGet("/applications/{id}", HandleAsync).WithName(Name);
        return api;
    }

    private static async Task<Results<JsonHttpResult<ApplicationView>, ApiProblem>> HandleAsync(
        string id, HttpRequest request, HttpResponse response, ApplicationStore store, LiveCatalog catalog, CancellationToken cancellationToken)
    {
        var (application, problem) = await AuthorizeAsync(id, request, store, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        response.Headers.CacheControl = "no-store";
        return TypedResults.Json(ApplicationView.From(application!, catalog.Current), ApiJsonContext.Api.ApplicationView);
    }

    /// <summary>The application, if the request carries its token; else the problem to answer with.</summary>
    public static async Task<(ApplicationRecord? Application, ApiProblem? Problem)> AuthorizeAsync(
        string id, HttpRequest request, ApplicationStore store, CancellationToken cancellationToken)
    {
        var token = request.Headers[TokenHeader].ToString();
        if (token.Length == 0)
        {
            return (null, Problems.TokenRequired(TokenHeader));
        }
        var application = ApplicationRecord.IsValidId(id) ? await store.GetAsync(id, cancellationToken) : null;
        return application is not null && ApplicationSecrets.Matches(token, application.TokenHash)
            ? (application, null)
            : (null, Problems.NotFound(new("没有这份申请，或访问令牌不对。", "There is no such application, or the access token is wrong.")));
    }
}
