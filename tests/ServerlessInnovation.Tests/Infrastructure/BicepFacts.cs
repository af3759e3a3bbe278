using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ServerlessInnovation.Tests.Infrastructure;

/// <summary>
/// The Bicep files under infra/ as infra/parse-bicep.mjs reads them with tree-sitter-bicep (there is no Bicep CLI
/// here): syntax errors, and per file its params, vars, resources (with their bodies), modules and outputs, as JSON.
/// An expression that is not a literal arrives as <c>{"expr": "source text"}</c>.
/// </summary>
internal sealed class BicepFacts
{
    public static string InfraDirectory => Path.Combine(RepositoryPaths.Root, "infra");

    public static string Script => Path.Combine(InfraDirectory, "parse-bicep.mjs");

    private static readonly Lazy<BicepFacts> Lazy = new(() =>
    {
        var (exitCode, output, error) = RunParser(InfraDirectory);
        Assert.True(exitCode is 0 or 1, $"parse-bicep.mjs failed ({exitCode}): {error}");
        return new BicepFacts(exitCode, JsonNode.Parse(output)!.AsObject());
    });

    /// <summary>Every .bicep file under infra/, parsed once per test run.</summary>
    public static BicepFacts Infra => Lazy.Value;

    public BicepFacts(int exitCode, JsonObject json)
    {
        ExitCode = exitCode;
        Json = json;
        Files = json["files"]!.AsArray().Select(f => f!.AsObject()).ToList();
    }

    public int ExitCode { get; }

    public JsonObject Json { get; }

    public IReadOnlyList<JsonObject> Files { get; }

    /// <summary>The file at <paramref name="relativePath"/> under infra/, e.g. <c>modules/storage.bicep</c>.</summary>
    public JsonObject File(string relativePath) =>
        Files.SingleOrDefault(f => (string)f["path"]! == "infra/" + relativePath)
        ?? throw new InvalidOperationException($"infra/{relativePath} was not parsed; parsed: {string.Join(", ", Files.Select(f => (string)f["path"]!))}");

    public IEnumerable<JsonObject> Resources => Files.SelectMany(ResourcesOf);

    public static IEnumerable<JsonObject> ResourcesOf(JsonObject file) => file["resources"]!.AsArray().Select(r => r!.AsObject());

    public static IEnumerable<JsonObject> Declared(JsonObject file) => ResourcesOf(file).Where(r => !(bool)r["existing"]!);

    public static JsonObject Param(JsonObject file, string name) =>
        file["params"]!.AsArray().Select(p => p!.AsObject()).SingleOrDefault(p => (string)p["name"]! == name)
        ?? throw new InvalidOperationException($"{file["path"]} has no param {name}");

    public static JsonNode? Var(JsonObject file, string name) =>
        (file["vars"]!.AsArray().Select(v => v!.AsObject()).SingleOrDefault(v => (string)v["name"]! == name)
         ?? throw new InvalidOperationException($"{file["path"]} has no var {name}"))["value"];

    public static JsonObject Module(JsonObject file, string path) =>
        file["modules"]!.AsArray().Select(m => m!.AsObject()).SingleOrDefault(m => (string?)m["path"] == path)
        ?? throw new InvalidOperationException($"{file["path"]} calls no module {path}");

    public static JsonObject Decorator(JsonObject declaration, string name) =>
        declaration["decorators"]!.AsArray().Select(d => d!.AsObject()).SingleOrDefault(d => (string)d["name"]! == name)
        ?? throw new InvalidOperationException($"{declaration["name"]} has no @{name}()");

    /// <summary>The source text of an expression value, or null when the value is a literal.</summary>
    public static string? Expression(JsonNode? value) => value is JsonObject o && o.Count == 1 && o["expr"] is JsonValue e ? (string)e! : null;

    /// <summary>A literal string value; fails on an expression.</summary>
    public static string Literal(JsonNode? value) => value is JsonValue v && v.TryGetValue<string>(out var s)
        ? s
        : throw new InvalidOperationException($"Not a literal string: {value?.ToJsonString()}");

    /// <summary>A value by a dotted path into a body, e.g. <c>properties.functionAppConfig.runtime.name</c>.</summary>
    public static JsonNode? At(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }
        return node;
    }

    /// <summary>Runs infra/parse-bicep.mjs with node on <paramref name="targets"/>; its exit code, stdout and stderr.</summary>
    public static (int ExitCode, string Output, string Error) RunParser(params string[] targets)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Script);
        foreach (var target in targets)
        {
            start.ArgumentList.Add(target);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("parse-bicep.mjs ran longer than 60 s");
        }
        return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    /// <summary>
    /// What the app uses and Bicep lacks, and what Bicep creates that the app does not use (beyond
    /// <paramref name="allowedExtras"/>). Names compare as Azure Storage does: case-insensitively.
    /// </summary>
    public static (IReadOnlyList<string> MissingFromBicep, IReadOnlyList<string> UnusedInBicep) CrossCheck(
        IEnumerable<string> usedByApp, IEnumerable<string> inBicep, IEnumerable<string> allowedExtras)
    {
        var app = usedByApp.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var bicep = inBicep.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var extras = allowedExtras.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return (
            app.Where(n => !bicep.Contains(n)).Order(StringComparer.Ordinal).ToList(),
            bicep.Where(n => !app.Contains(n) && !extras.Contains(n)).Order(StringComparer.Ordinal).ToList());
    }
}
