using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using ServerlessInnovation.Functions.Http;

namespace ServerlessInnovation.Functions.Bureaus;

/// <summary>
/// Authenticates a bureau: by the principal App Service Authentication signed in (<c>X-MS-CLIENT-PRINCIPAL</c>, only
/// when <see cref="BureauOptions.TrustAppServiceAuthentication"/>), else by a bureau's API key (<c>X-Bureau-Key</c>).
/// The principal it makes has the <see cref="Bureau.Role"/> role and the bureau's code in <see cref="Bureau.CodeClaim"/>.
/// Anything malformed is a failed authentication (401), never an error; a signed-in user without the role is
/// authenticated but no bureau (403). Challenges and refusals are answered as problems.
/// </summary>
public sealed partial class BureauAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<BureauOptions> bureauOptions,
    BureauKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    /// <summary>The authentication type of a principal signed in by App Service Authentication.</summary>
    public const string AppServiceAuthentication = "AppServiceAuthentication";

    /// <summary>The authentication type of a principal authenticated by its bureau's API key.</summary>
    public const string ApiKey = "BureauKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers;
        if (headers.TryGetValue(BureauAccess.ClientPrincipalHeader, out var principal))
        {
            if (bureauOptions.Value.TrustAppServiceAuthentication)
            {
                return Task.FromResult(FromClientPrincipal(principal));
            }
            // Without App Service Authentication in front, anyone can send this header: it proves nothing.
            LogUntrustedClientPrincipal(Logger, BureauOptions.AppServiceAuthenticationSetting);
        }
        if (headers.TryGetValue(BureauAccess.KeyHeader, out var key))
        {
            return Task.FromResult(FromKey(key));
        }
        return Task.FromResult(AuthenticateResult.NoResult());
    }

    private AuthenticateResult FromClientPrincipal(StringValues header)
    {
        if (header.Count != 1 || ClientPrincipal.Decode(header[0]!, BureauAccess.MaxClientPrincipalLength) is not { } principal)
        {
            return AuthenticateResult.Fail("The App Service Authentication principal is malformed or too large.");
        }
        if (!principal.Roles().Contains(Bureau.Role, StringComparer.Ordinal))
        {
            // Signed in, but not as a bureau: authenticated, so the policy forbids rather than challenges.
            return Success(new ClaimsIdentity(AppServiceAuthentication, ClaimTypes.Name, ClaimTypes.Role));
        }
        var jurisdictions = principal.ValuesOf(bureauOptions.Value.JurisdictionClaim).Distinct(StringComparer.Ordinal).ToList();
        if (jurisdictions.Count != 1 || Bureau.Find(jurisdictions[0]) is not { } bureau)
        {
            return AuthenticateResult.Fail("The App Service Authentication principal has no known jurisdiction, or several.");
        }
        return Success(BureauIdentity(bureau, AppServiceAuthentication, principal.Name));
    }

    private AuthenticateResult FromKey(StringValues header)
    {
        if (header.Count != 1 || keys.Find(header[0]) is not { } bureau)
        {
            return AuthenticateResult.Fail("The bureau key is not any bureau's key.");
        }
        return Success(BureauIdentity(bureau, ApiKey, $"{bureau.Code} API key"));
    }

    /// <summary>A bureau's identity; its name (who signed in, or which bureau's key) is what records of its actions say.</summary>
    private static ClaimsIdentity BureauIdentity(Bureau bureau, string authenticationType, string? name) =>
        new([
            new Claim(ClaimTypes.Role, Bureau.Role),
            new Claim(Bureau.CodeClaim, bureau.Code),
            .. name is { Length: > 0 } ? [new Claim(ClaimTypes.Name, name)] : Array.Empty<Claim>(),
        ], authenticationType, ClaimTypes.Name, ClaimTypes.Role);

    private AuthenticateResult Success(ClaimsIdentity identity) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));

    /// <summary>401: no credentials, or credentials that identify no bureau (with where to sign in, when App Service Authentication runs).</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        // Behind App Service Authentication a person can sign in: the problem says where, for the pages to offer.
        var signInUrl = bureauOptions.Value.TrustAppServiceAuthentication ? BureauAccess.SignInUrl : null;
        var problem = result.Failure is null
            ? Problems.BureauCredentialsRequired(BureauAccess.KeyHeader, signInUrl)
            : Problems.BureauCredentialsInvalid(BureauAccess.KeyHeader, signInUrl);
        await problem.ExecuteAsync(Context);
    }

    /// <summary>403: authenticated, but not as a bureau.</summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.BureauRoleRequired().ExecuteAsync(Context);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning,
        Message = "Ignored an X-MS-CLIENT-PRINCIPAL header: App Service Authentication is not on ({Setting} is not True), so the header may be forged")]
    private static partial void LogUntrustedClientPrincipal(ILogger logger, string setting);
}
