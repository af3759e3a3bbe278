using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Catalog;
using ServerlessInnovation.Functions.Bureaus;
using ServerlessInnovation.Functions.Http;

namespace ServerlessInnovation.Functions.GetSignedInBureau;

/// <summary>One district of a bureau's jurisdiction.</summary>
public sealed record JurisdictionView(string Code, LocalizedText Name);

/// <summary>
/// Who is calling: the bureau, its districts, who signed in (the user's name, or which bureau's key) and how
/// (<c>api-key</c> or <c>app-service-authentication</c>, whose pages offer a sign-out at <see cref="SignedInBureau.SignOutUrl"/>).
/// </summary>
public sealed record SignedInBureau(
    string Code, LocalizedText Name, IReadOnlyList<JurisdictionView> Jurisdiction, string? SignedInAs, string Method, string? SignOutUrl);

/// <summary>
/// <c>GET /api/bureau/me</c>: the bureau the credentials sent identify, so a page can check a key before using it and
/// show who is signed in. Without credentials, or with wrong ones, the bureau group's 401 problem answers.
/// </summary>
public static class GetSignedInBureauFunction
{
    public const string Name = "GetSignedInBureau";

    public const string ApiKeyMethod = "api-key";
    public const string AppServiceAuthenticationMethod = "app-service-authentication";

    public static IEndpointRouteBuilder MapGetSignedInBureau(this IEndpointRouteBuilder bureau)
    {
        bureau.MapGet("/me", Handle).WithName(Name);
        return bureau;
    }

    private static JsonHttpResult<SignedInBureau> Handle(Bureau bureau, HttpContext context)
    {
        var identity = context.User.Identity;
        var signedIn = identity?.AuthenticationType == BureauAuthenticationHandler.AppServiceAuthentication;
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(new SignedInBureau(
            bureau.Code,
            bureau.Name,
            [.. bureau.Districts.Select(code => HangzhouDistricts.Get(code)).Select(d => new JurisdictionView(d.Code, d.Name))],
            identity?.Name,
            signedIn ? AppServiceAuthenticationMethod : ApiKeyMethod,
            signedIn ? BureauAccess.SignOutUrl : null), ApiJsonContext.Api.SignedInBureau);
    }
}
