using System.Security.Claims;
using ServerlessInnovation.Domain;
using ServerlessInnovation.Domain.Catalog;

namespace ServerlessInnovation.Functions.Bureaus;

/// <summary>
/// A science-and-technology bureau (科技局) and the districts it has jurisdiction over: a city bureau covers every
/// district of its city, a district bureau only its own district. Its code is the city's or the district's code.
/// </summary>
public sealed record Bureau(string Code, LocalizedText Name, IReadOnlyList<string> Districts)
{
    /// <summary>The claim that carries the bureau's code in an authenticated request's principal.</summary>
    public const string CodeClaim = "bureau";

    /// <summary>The role every bureau caller has.</summary>
    public const string Role = "bureau";

    /// <summary>Every bureau: the city bureau first, then one per district.</summary>
    public static IReadOnlyList<Bureau> All { get; } =
    [
        new(HangzhouDistricts.CityCode,
            new(HangzhouDistricts.CityName.Zh + "科学技术局", HangzhouDistricts.CityName.En + " Municipal Bureau of Science and Technology"),
            [.. HangzhouDistricts.All.Select(d => d.Code)]),
        .. HangzhouDistricts.All.Select(d => new Bureau(d.Code,
            new(d.Name.Zh + "科学技术局", d.Name.En + " Bureau of Science and Technology"), [d.Code])),
    ];

    public static Bureau? Find(string? code) => All.FirstOrDefault(b => string.Equals(b.Code, code, StringComparison.Ordinal));

    /// <summary>Whether carriers in <paramref name="districtCode"/> are this bureau's to change and to see.</summary>
    public bool Covers(string districtCode) => Districts.Contains(districtCode, StringComparer.Ordinal);

    /// <summary>The bureau an authenticated principal acts for; null for anyone else.</summary>
    public static Bureau? From(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.IsInRole(Role) ? Find(user.FindFirst(CodeClaim)?.Value) : null;

    /// <summary>
    /// Minimal API binding: a handler parameter of type <see cref="Bureau"/> is the calling bureau. Only endpoints of the
    /// bureau group (which require a bureau) take one, so authorization has already run.
    /// </summary>
    public static ValueTask<Bureau?> BindAsync(HttpContext context) => ValueTask.FromResult(From(context.User));
}
