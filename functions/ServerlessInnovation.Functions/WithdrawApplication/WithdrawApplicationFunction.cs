using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Functions.GetApplication;
using ServerlessInnovation.Functions.Http;

namespace ServerlessInnovation.Functions.WithdrawApplication;

/// <summary>
/// <c>POST /api/applications/{id}/withdraw</c> with the applicant's token: withdraws the application at any stage and
/// gives back any seat it holds. Withdrawing again changes nothing and answers the same.
/// </summary>
public static class WithdrawApplicationFunction
{
    public const string Name = "WithdrawApplication";

    public static IEndpointRouteBuilder MapWithdrawApplication(this IEndpointRouteBuilder api)
    {
        api.MapPost("/applications/{id}/withdraw", HandleAsync).WithName(Name);
        return api;
    }

    private static async Task<Results<JsonHttpResult<ApplicationView>, ApiProblem>> HandleAsync(
        string id, HttpRequest request, HttpResponse response, ApplicationStore store, ApplicationProcessor processor, LiveCatalog catalog,
        CancellationToken cancellationToken)
    {
        var (application, problem) = await GetApplicationFunction.AuthorizeAsync(id, request, store, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var withdrawn = await processor.WithdrawAsync(application!, cancellationToken);
        response.Headers.CacheControl = "no-store";
        return TypedResults.Json(ApplicationView.From(withdrawn, catalog.Current), ApiJsonContext.Api.ApplicationView);
    }
}
