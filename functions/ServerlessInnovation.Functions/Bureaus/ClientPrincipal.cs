using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessInnovation.Functions.Bureaus;

/// <summary>One claim of an App Service Authentication principal.</summary>
public sealed record ClientPrincipalClaim(
    [property: JsonPropertyName("typ")] string? Type,
    [property: JsonPropertyName("val")] string? Value);

/// <summary>
/// The signed-in user as App Service Authentication (Easy Auth) passes it in <c>X-MS-CLIENT-PRINCIPAL</c>: base64 of
/// <c>{"auth_typ":"aad","claims":[{"typ":"roles","val":"bureau"},…],"name_typ":"…","role_typ":"…"}</c>.
/// </summary>
public sealed record ClientPrincipal(
    [property: JsonPropertyName("auth_typ")] string? AuthenticationType,
    [property: JsonPropertyName("claims")] IReadOnlyList<ClientPrincipalClaim?>? Claims,
    [property: JsonPropertyName("name_typ")] string? NameType,
    [property: JsonPropertyName("role_typ")] string? RoleType)
{
    /// <summary>The claim type Entra ID app roles arrive as, one claim per role.</summary>
    public const string RolesClaimType = "roles";

    /// <summary>The header's principal; null when it is longer than <paramref name="maxLength"/>, not base64, or not such JSON.</summary>
    public static ClientPrincipal? Decode(string header, int maxLength)
    {
        if (header.Length > maxLength)
        {
            return null;
        }
        var bytes = new byte[header.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64String(header, bytes, out var written))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(bytes.AsSpan(0, written), ClientPrincipalJsonContext.Default.ClientPrincipal);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The values of every claim of type <paramref name="type"/>.</summary>
    public IEnumerable<string> ValuesOf(string type) =>
        (Claims ?? []).Where(c => c?.Value is not null && string.Equals(c.Type, type, StringComparison.Ordinal)).Select(c => c!.Value!);

    /// <summary>Who signed in, as the principal names them (its <c>name_typ</c> claim, else <c>name</c>); null when it does not.</summary>
    public string? Name => ValuesOf(string.IsNullOrEmpty(NameType) ? "name" : NameType).Concat(ValuesOf("name")).FirstOrDefault();

    /// <summary>
    /// The principal's roles: Entra app roles come as claims of type <c>roles</c>, other providers' under the principal's
    /// <c>role_typ</c>; both count.
    /// </summary>
    public IEnumerable<string> Roles() =>
        string.IsNullOrEmpty(RoleType) || RoleType == RolesClaimType
            ? ValuesOf(RolesClaimType)
            : ValuesOf(RolesClaimType).Concat(ValuesOf(RoleType));
}

/// <summary>Source-generated reading of <see cref="ClientPrincipal"/>: members the platform may add are skipped; nesting is shallow.</summary>
[JsonSourceGenerationOptions(MaxDepth = 8, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ClientPrincipal))]
internal sealed partial class ClientPrincipalJsonContext : JsonSerializerContext;
