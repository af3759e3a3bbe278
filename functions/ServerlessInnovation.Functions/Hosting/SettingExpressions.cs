using System.Text.RegularExpressions;

namespace ServerlessInnovation.Functions.Hosting;

/// <summary>
/// The <c>%Name%</c> expressions of function.json binding values, replaced by app settings as the Functions host does: from
/// the setting <c>Name</c>, where <c>__</c> in the name stands for a configuration section (<c>Queues__Applications</c> is
/// <c>Queues:Applications</c>, as in environment variables).
/// </summary>
internal sealed partial class SettingExpressions(IConfiguration settings)
{
    /// <summary>The value with every expression replaced; null stays null.</summary>
    /// <exception cref="InvalidOperationException">An expression names a setting that is missing or empty; the message names the function, binding and setting.</exception>
    public string? Resolve(string? value, string function, string binding, string property) => value is null
        ? null
        : Expression().Replace(value, match =>
        {
            var name = match.Groups["name"].Value;
            var setting = settings[name];
            if (string.IsNullOrEmpty(setting) && name.Contains("__", StringComparison.Ordinal))
            {
                setting = settings[name.Replace("__", ":", StringComparison.Ordinal)];
            }
            return string.IsNullOrEmpty(setting)
                ? throw new InvalidOperationException(
                    $"Function '{function}': binding '{binding}' has {property} '{value}', but the app setting '{name}' is not set. " +
                    $"Set '{name}' in the app settings (environment variable or appsettings.json).")
                : setting;
        });

    [GeneratedRegex("%(?<name>[^%]+)%")]
    private static partial Regex Expression();
}
