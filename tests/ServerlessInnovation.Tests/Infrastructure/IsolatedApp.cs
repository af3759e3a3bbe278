namespace ServerlessInnovation.Tests.Infrastructure;

/// <summary>
/// Settings (environment variable names) for an app process of its own on the shared Azurite: every table, queue and
/// container under a name no other test uses, and a fresh signing key, so processes of parallel tests never meet.
/// </summary>
internal static class IsolatedApp
{
    public static Dictionary<string, string> Settings(string storageConnectionString) => new()
    {
        ["Storage"] = storageConnectionString,
        ["Catalog__CarrierTable"] = Azurite.UniqueName("carriers"),
        ["Catalog__StateTable"] = Azurite.UniqueName("state"),
        ["Applications__SigningKey"] = ApiFactory.NewSigningKey(),
        ["Applications__ApplicationTable"] = Azurite.UniqueName("apps"),
        ["Applications__RequestTable"] = Azurite.UniqueName("requests"),
        ["ApplicationsQueue"] = Azurite.UniqueName("applications"),
        ["DocumentsQueue"] = Azurite.UniqueName("documents"),
        ["Documents__DocumentTable"] = Azurite.UniqueName("documents"),
        ["Documents__Container"] = Azurite.UniqueName("documents"),
        ["Statistics__StatisticsTable"] = Azurite.UniqueName("statistics"),
        ["Statistics__ReportContainer"] = Azurite.UniqueName("reports"),
        ["Triggers__Timers__Container"] = Azurite.UniqueName("timers"),
    };
}
