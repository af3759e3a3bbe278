using Microsoft.Extensions.Options;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Functions.Bureaus;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Functions.Documents;
using ServerlessInnovation.Functions.IngestDocument;
using ServerlessInnovation.Functions.Hosting;
using ServerlessInnovation.Functions.MatchCarriers;
using ServerlessInnovation.Functions.ProcessApplication;
using ServerlessInnovation.Functions.RefreshStatistics;
using ServerlessInnovation.Functions.Statistics;
using ServerlessInnovation.Functions.SweepApplications;
using ServerlessInnovation.Storage;
using ServerlessInnovation.Storage.Blobs;
using ServerlessInnovation.Storage.Queues;
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
        // Parsed as an option so that a missing or malformed connection stops startup before anything runs.
        services.AddOptions<StorageSettings>()
            .Configure(settings => settings.Read(StorageConnectionName, key => configuration[key.Replace("__", ":", StringComparison.Ordinal)]))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageSettings>, StorageSettings.Validator>();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<StorageSettings>>().Value.Connection!);
        services.AddSingleton(provider => provider.GetRequiredService<StorageConnection>()
            .GetTableServiceClient(new TableClientOptions { TimeProvider = provider.GetRequiredService<TimeProvider>() }));
        // Base64 message text, as the Functions queue trigger reads it (host.json messageEncoding).
        services.AddSingleton(provider => provider.GetRequiredService<StorageConnection>()
            .GetQueueServiceClient(new QueueClientOptions { TimeProvider = provider.GetRequiredService<TimeProvider>(), MessageEncoding = QueueMessageEncoding.Base64 }));
        services.AddSingleton(provider => provider.GetRequiredService<StorageConnection>()
            .GetBlobServiceClient(new BlobClientOptions { TimeProvider = provider.GetRequiredService<TimeProvider>() }));
        return services;
    }

    public static IServiceCollection AddCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CatalogOptions>().Bind(configuration.GetSection(CatalogOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CatalogOptions>, CatalogOptionsValidator>();
        services.AddSingleton<CatalogTable>();
        services.AddSingleton<LiveCatalog>();
        services.AddHostedService<CatalogRefresher>();
        services.AddSingleton<CatalogChangeNotifier>();
        services.AddHostedService(provider => provider.GetRequiredService<CatalogChangeNotifier>());
        return services;
    }

    public static IServiceCollection AddApplications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApplicationOptions>().Bind(configuration.GetSection(ApplicationOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApplicationOptions>, ApplicationOptionsValidator>();
        services.AddSingleton<ApplicationSecrets>();
        services.AddSingleton<ApplicationStore>();
        services.AddSingleton<ApplicationIntake>();
        services.AddSingleton<SeatLedger>();
        services.AddSingleton<ApplicationProcessor>();
        // Decided by the queue-triggered ProcessApplication; swept for stragglers by the timer-triggered SweepApplications.
        services.AddQueueTrigger<ProcessApplicationHandler>(ProcessApplicationHandler.Name);
        services.AddTimerTrigger<SweepApplicationsHandler>(SweepApplicationsHandler.Name);
        return services;
    }

    /// <summary>Who may call the bureau endpoints: the bureaus' key hashes, App Service Authentication, the scheme and the policy.</summary>
    public static IServiceCollection AddBureaus(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BureauOptions>().Bind(configuration.GetSection(BureauOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<BureauOptions>, BureauOptions.PlatformSetup>();
        services.AddSingleton<IValidateOptions<BureauOptions>, BureauOptionsValidator>();
        return services.AddBureauAccess();
    }

    /// <summary>Bureau documents: uploads, their checks, and the queue-triggered ingestion of catalogs.</summary>
    public static IServiceCollection AddDocuments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DocumentOptions>().Bind(configuration.GetSection(DocumentOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DocumentOptions>, DocumentOptionsValidator>();
        services.AddSingleton<DocumentStore>();
        services.AddSingleton<DocumentIntake>();
        services.AddSingleton<CatalogIngestion>();
        services.AddQueueTrigger<IngestDocumentHandler>(IngestDocumentHandler.Name);
        return services;
    }

    /// <summary>The nightly statistics: computed by the timer-triggered RefreshStatistics, read through the statistics endpoints.</summary>
    public static IServiceCollection AddStatistics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StatisticsOptions>().Bind(configuration.GetSection(StatisticsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StatisticsOptions>, StatisticsOptionsValidator>();
        services.AddSingleton<StatisticsStore>();
        services.AddSingleton<StatisticsCharts>();
        services.AddSingleton<StatisticsRefresher>();
        services.AddTimerTrigger<RefreshStatisticsHandler>(RefreshStatisticsHandler.Name);
        return services;
    }

    public static IServiceCollection AddMatching(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MatchingOptions>().Bind(configuration.GetSection(MatchingOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MatchingOptions>, MatchingOptionsValidator>();
        return services;
    }
}

/// <summary>The app's storage connection as read from configuration, or why it could not be read.</summary>
public sealed class StorageSettings
{
    public StorageConnection? Connection { get; private set; }

    public string? Problem { get; private set; }

    public void Read(string name, Func<string, string?> getSetting)
    {
        try
        {
            Connection = StorageConnection.FromSettings(name, getSetting);
        }
        catch (Exception exception) when (exception is InvalidOperationException or FormatException or ArgumentException)
        {
            Problem = exception.Message;
        }
    }

    internal sealed class Validator : IValidateOptions<StorageSettings>
    {
        public ValidateOptionsResult Validate(string? name, StorageSettings options) => options.Connection is not null
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Storage: " + (options.Problem ?? "not configured"));
    }
}
