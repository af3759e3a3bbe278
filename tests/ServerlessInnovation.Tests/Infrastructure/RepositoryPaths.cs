namespace ServerlessInnovation.Tests.Infrastructure;

/// <summary>Where things are in the repository this test run was built from.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration of this test run (Debug or Release), read from the output path.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public static string FunctionsProject => Path.Combine(Root, "functions", "ServerlessInnovation.Functions");

    /// <summary>The handler's own build output: the executable as it runs beside its function.json folders.</summary>
    public static string FunctionsOutput => Path.Combine(FunctionsProject, "bin", Configuration, "net10.0");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ServerlessInnovation.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (with ServerlessInnovation.sln) is not above " + AppContext.BaseDirectory);
    }
}
