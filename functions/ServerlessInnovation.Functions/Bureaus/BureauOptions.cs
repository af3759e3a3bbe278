using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ServerlessInnovation.Functions.Bureaus;

/// <summary>Who may call the bureau endpoints: each bureau's API key (as its hash), and whether App Service Authentication is trusted.</summary>
public sealed class BureauOptions : IValidatableObject
{
    public const string SectionName = "Bureaus";

    /// <summary>The platform setting that says App Service Authentication (Easy Auth) runs in front of the app.</summary>
    public const string AppServiceAuthenticationSetting = "WEBSITE_AUTH_ENABLED";

    /// <summary>
    /// Bureau code → lowercase (or uppercase) hex SHA-256 of that bureau's API key: only hashes are configured, so the
    /// settings reveal no key. A bureau without an entry has no key and can only sign in through App Service Authentication.
    /// </summary>
    public Dictionary<string, string> KeyHashes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The claim type that carries the bureau code in an App Service Authentication principal.</summary>
    [Required, StringLength(256)]
    public string JurisdictionClaim { get; set; } = "jurisdiction";

    /// <summary>
    /// Whether the <c>X-MS-CLIENT-PRINCIPAL</c> header comes from App Service Authentication: only when the platform says
    /// it runs (<c>WEBSITE_AUTH_ENABLED=True</c>), because only then does the platform strip the header from what callers
    /// send. Not configurable in this section.
    /// </summary>
    public bool TrustAppServiceAuthentication { get; internal set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (code, hash) in KeyHashes.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var setting = $"{SectionName}:{nameof(KeyHashes)}:{code}";
            if (Bureau.Find(code) is null)
            {
                yield return new ValidationResult(
                    $"{setting}: '{code}' is not a bureau code; known: {string.Join(", ", Bureau.All.Select(b => b.Code))}.",
                    [nameof(KeyHashes)]);
            }
            if (!IsSha256Hex(hash))
            {
                yield return new ValidationResult(
                    $"{setting} must be the SHA-256 of the bureau's key as 64 hexadecimal characters (printf %s \"$KEY\" | sha256sum).",
                    [nameof(KeyHashes)]);
            }
            else if (seen.TryGetValue(hash, out var other))
            {
                yield return new ValidationResult(
                    $"{setting} has the same key hash as {SectionName}:{nameof(KeyHashes)}:{other}: each bureau needs its own key.",
                    [nameof(KeyHashes)]);
            }
            else
            {
                seen[hash] = code;
            }
        }
    }

    private static bool IsSha256Hex(string? hash) => hash is { Length: 64 } && hash.All(char.IsAsciiHexDigit);

    /// <summary>Reads <see cref="TrustAppServiceAuthentication"/> from the platform setting, whatever the section says.</summary>
    internal sealed class PlatformSetup(IConfiguration configuration) : IPostConfigureOptions<BureauOptions>
    {
        public void PostConfigure(string? name, BureauOptions options) =>
            options.TrustAppServiceAuthentication = string.Equals(configuration[AppServiceAuthenticationSetting], "True", StringComparison.OrdinalIgnoreCase);
    }
}

[OptionsValidator]
internal sealed partial class BureauOptionsValidator : IValidateOptions<BureauOptions>;
