using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessInnovation.Functions.Hosting;

/// <summary>One binding of a function.json, with the properties this app reads.</summary>
public sealed record FunctionBinding
{
    public required string Type { get; init; }
    public required string Direction { get; init; }
    public required string Name { get; init; }
    public string? Route { get; init; }
    public IReadOnlyList<string>? Methods { get; init; }
    public string? AuthLevel { get; init; }
    public string? QueueName { get; init; }
    public string? Connection { get; init; }
    public string? Schedule { get; init; }
    public string? DataType { get; init; }
    public bool? RunOnStartup { get; init; }
    public bool? UseMonitor { get; init; }

    public bool IsTrigger => Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A function as the Functions host sees it: the folder name and its function.json.</summary>
public sealed record FunctionDefinition(string Name, IReadOnlyList<FunctionBinding> Bindings)
{
    public FunctionBinding Trigger => Bindings.Single(b => b.IsTrigger);

    public bool IsHttp => string.Equals(Trigger.Type, "httpTrigger", StringComparison.OrdinalIgnoreCase);

    /// <summary>The http output binding: <c>res</c>, or <c>$return</c> when the answer is the return value.</summary>
    public FunctionBinding? HttpOutput => Bindings.FirstOrDefault(b =>
        string.Equals(b.Type, "http", StringComparison.OrdinalIgnoreCase) && string.Equals(b.Direction, "out", StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The functions of this app, read from the <c>*/function.json</c> files beside the executable: the same files the
/// Functions host reads from the deployment package, so handler and host agree on names and bindings.
/// </summary>
public sealed class FunctionManifest
{
    private readonly Dictionary<string, FunctionDefinition> _byName;

    public FunctionManifest(IEnumerable<FunctionDefinition> functions)
    {
        Functions = [.. functions.OrderBy(f => f.Name, StringComparer.Ordinal)];
        _byName = Functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<FunctionDefinition> Functions { get; }

    public bool TryGet(string name, [NotNullWhen(true)] out FunctionDefinition? function) => _byName.TryGetValue(name, out function);

    /// <summary>
    /// Reads every immediate subfolder of <paramref name="appRoot"/> that holds a function.json, as the host does, and
    /// resolves the <c>%Setting%</c> expressions in its binding values from <paramref name="settings"/>, as the host
    /// resolves them from the app settings.
    /// </summary>
    /// <exception cref="InvalidOperationException">A binding value names a setting that is not set.</exception>
    public static FunctionManifest Load(string appRoot, IConfiguration settings)
    {
        var resolver = new SettingExpressions(settings);
        return new FunctionManifest(Load(appRoot).Functions.Select(function => function with
        {
            Bindings = [.. function.Bindings.Select(binding => binding with
            {
                QueueName = resolver.Resolve(binding.QueueName, function.Name, binding.Name, "queueName"),
                Schedule = resolver.Resolve(binding.Schedule, function.Name, binding.Name, "schedule"),
                Connection = resolver.Resolve(binding.Connection, function.Name, binding.Name, "connection"),
            })],
        }));
    }

    /// <summary>Reads the function.json files as written, <c>%Setting%</c> expressions unresolved (for checking the files themselves).</summary>
    public static FunctionManifest Load(string appRoot)
    {
        var functions = new List<FunctionDefinition>();
        foreach (var folder in Directory.EnumerateDirectories(appRoot))
        {
            var file = Path.Combine(folder, "function.json");
            if (!File.Exists(file))
            {
                continue;
            }
            var json = JsonSerializer.Deserialize(File.ReadAllBytes(file), FunctionJsonContext.Default.FunctionJson)
                ?? throw new InvalidDataException($"{file} is empty.");
            functions.Add(new FunctionDefinition(Path.GetFileName(folder), json.Bindings));
        }
        return new FunctionManifest(functions);
    }
}

public sealed record FunctionJson(IReadOnlyList<FunctionBinding> Bindings, bool Disabled = false);

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(FunctionJson))]
internal sealed partial class FunctionJsonContext : JsonSerializerContext;
