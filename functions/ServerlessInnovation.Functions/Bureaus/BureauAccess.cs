using Microsoft.AspNetCore.Authentication;

namespace ServerlessInnovation.Functions.Bureaus;

/// <summary>
/// Who may call the bureau endpoints, and where they live: every one is mapped on <see cref="MapBureau"/>, under
/// <c>/api/bureau</c>, and requires <see cref="Policy"/> — a caller authenticated by the <see cref="Scheme"/> as a bureau.
/// </summary>
public static class BureauAccess
{
    /// <summary>The authentication scheme: App Service Authentication's principal (when trusted) or a bureau's API key.</summary>
    public const string Scheme = "Bureau";

    /// <summary>The authorization policy every bureau endpoint requires: a known bureau with the <see cref="Bureau.Role"/> role.</summary>
    public const string Policy = "Bureau";

    /// <summary>The header that carries a bureau's API key (standalone, or service to service).</summary>
    public const string KeyHeader = "X-Bureau-Key";

    /// <summary>Longest API key accepted: keys are 44 characters (<c>openssl rand -base64 32</c>); anything far longer is not one.</summary>
    public const int MaxKeyLength = 256;

    /// <summary>The header App Service Authentication puts the signed-in principal in: base64 of JSON.</summary>
    public const string ClientPrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>
    /// Where App Service Authentication signs a bureau user in (Microsoft Entra ID) and then returns to the bureau pages:
    /// offered as <c>signInUrl</c> in the 401 problem of bureau endpoints when App Service Authentication runs.
    /// </summary>
    public const string SignInUrl = "/.auth/login/aad?post_login_redirect_uri=/bureau/";

    /// <summary>Where App Service Authentication signs the user out, back to the bureau pages.</summary>
    public const string SignOutUrl = "/.auth/logout?post_logout_redirect_uri=/bureau/";

    /// <summary>Largest <see cref="ClientPrincipalHeader"/> read; a principal with a few dozen claims is far smaller.</summary>
    public const int MaxClientPrincipalLength = 16 * 1024;

    /// <summary>The group for bureau endpoints: <c>{api}/bureau</c>, each endpoint on it requiring <see cref="Policy"/>.</summary>
    public static RouteGroupBuilder MapBureau(this IEndpointRouteBuilder api)
    {
        var bureau = api.MapGroup("/bureau");
        bureau.RequireAuthorization(Policy);
        return bureau;
    }

    public static IServiceCollection AddBureauAccess(this IServiceCollection services)
    {
        // The bureau scheme is the app's only one, and ASP.NET Core would make a single scheme the default that
        // UseAuthentication runs for every request. Only the bureau policy names it, so public endpoints never pay for it.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddSingleton<BureauKeys>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, BureauAuthenticationHandler>(Scheme, configureOptions: null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy
                .AddAuthenticationSchemes(Scheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => Bureau.From(context.User) is not null));
        return services;
    }
}
