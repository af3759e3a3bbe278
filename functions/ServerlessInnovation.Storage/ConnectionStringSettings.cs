namespace ServerlessInnovation.Storage;

/// <summary>
/// The <c>Name=Value</c> settings of a connection string, split as the Azure SDK does and checked for unknown and repeated
/// names. <see cref="StorageConnection"/> takes the settings it uses one by one, so whatever remains is a combination error.
/// Messages name settings but never echo a value, since values include keys and signatures.
/// </summary>
internal sealed class ConnectionStringSettings
{
    public const string AccountName = "AccountName";
    public const string AccountKey = "AccountKey";
    public const string SharedAccessSignature = "SharedAccessSignature";
    public const string DefaultEndpointsProtocol = "DefaultEndpointsProtocol";
    public const string EndpointSuffix = "EndpointSuffix";
    public const string BlobEndpoint = "BlobEndpoint";
    public const string QueueEndpoint = "QueueEndpoint";
    public const string TableEndpoint = "TableEndpoint";
    public const string FileEndpoint = "FileEndpoint";
    public const string UseDevelopmentStorage = "UseDevelopmentStorage";
    public const string DevelopmentStorageProxyUri = "DevelopmentStorageProxyUri";

    private const string SecondarySuffix = "SecondaryEndpoint";

    private static readonly string[] PrimaryEndpoints = [BlobEndpoint, QueueEndpoint, TableEndpoint, FileEndpoint];

    private static readonly string[] KnownNames =
    [
        AccountName, AccountKey, SharedAccessSignature, DefaultEndpointsProtocol, EndpointSuffix,
        BlobEndpoint, QueueEndpoint, TableEndpoint, FileEndpoint,
        .. PrimaryEndpoints.Select(SecondaryOf),
        UseDevelopmentStorage, DevelopmentStorageProxyUri,
    ];

    // Keyed by the canonical spelling of each name.
    private readonly Dictionary<string, string> _values;

    private ConnectionStringSettings(Dictionary<string, string> values) => _values = values;

    public static ConnectionStringSettings Read(string connectionString)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = 0;
        foreach (var segment in connectionString.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            position++;
            var equals = segment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"Connection string segment {position} is not of the form Name=Value.");
            }
            var name = segment[..equals].Trim();
            var value = segment[(equals + 1)..].Trim();
            var known = Array.Find(KnownNames, n => n.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw new FormatException(
                    $"Connection string segment {position} has an unknown setting name{(LooksLikeAName(name) ? $" '{name}'" : "")}.");
            if (value.Length == 0)
            {
                throw new FormatException($"The connection string setting {known} has no value.");
            }
            if (!values.TryAdd(known, value))
            {
                throw new FormatException($"The connection string setting {known} appears more than once.");
            }
        }
        foreach (var primary in PrimaryEndpoints)
        {
            if (values.ContainsKey(SecondaryOf(primary)) && !values.ContainsKey(primary))
            {
                throw new FormatException($"{SecondaryOf(primary)} requires {primary}.");
            }
        }
        return new ConnectionStringSettings(values);
    }

    /// <summary>Removes and returns the setting, or null when it is absent.</summary>
    public string? Take(string name) => _values.Remove(name, out var value) ? value : null;

    /// <summary>Removes and returns the setting as an absolute http(s) URI, or null when it is absent.</summary>
    public Uri? TakeEndpoint(string name) =>
        Take(name) is { } value ? StorageConnection.ParseEndpoint(value, name) : null;

    /// <summary>Validates and drops the endpoints this library does not use: File, and the secondaries of every service.</summary>
    public void TakeUnusedEndpoints()
    {
        TakeEndpoint(FileEndpoint);
        foreach (var primary in PrimaryEndpoints)
        {
            TakeEndpoint(SecondaryOf(primary));
        }
    }

    /// <summary>The name of a setting nobody has taken yet, or null.</summary>
    public string? FirstRemaining() => _values.Keys.FirstOrDefault();

    private static string SecondaryOf(string primary) => primary.Replace("Endpoint", SecondarySuffix, StringComparison.Ordinal);

    // A pasted key or signature can end up left of the first '=', so only short, letters-only names are echoed.
    private static bool LooksLikeAName(string name) => name.Length <= 40 && name.All(char.IsAsciiLetter);
}
