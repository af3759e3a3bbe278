using Microsoft.Extensions.Options;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Functions.MatchCarriers;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Tables;

namespace ServerlessInnovation.Functions;

/// <summary>Registration of each part of the app, so that Program.cs reads as a table of contents.</summary>
public static class ServiceRegistration
{
    /// <summary>
    /// The app's storage account, configured like a Functions binding connection named <c>Storage</c>: a connection
    /// string in <c>Storage</c>, or identity-based settings <c>Storage__accountName</c>, <c>Storage__credential</c>, ….
    /// </summary>
    public const string StorageConnectionName = "Storage";

    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => StorageConnection.FromSettings(StorageConnectionName, key => configuration[key.Replace("__", ":", StringComparison.Ordinal)]));
        services.AddSingleton(provider => provider.GetRequiredService<StorageConnection>()
            .GetTableServiceClient(new TableClientOptions { TimeProvider = provider.GetRequiredService<TimeProvider>() }));
        return services;
    }

    public static IServiceCollection AddCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CatalogOptions>().Bind(configuration.GetSection(CatalogOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CatalogOptions>, CatalogOptionsValidator>();
        services.AddSingleton<CatalogTable>();
        services.AddSingleton<LiveCatalog>();
        services.AddHostedService<CatalogRefresher>();
        return services;
    }

    public static IServiceCollection AddMatching(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MatchingOptions>().Bind(configuration.GetSection(MatchingOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MatchingOptions>, MatchingOptionsValidator>();
        return services;
    }
}
