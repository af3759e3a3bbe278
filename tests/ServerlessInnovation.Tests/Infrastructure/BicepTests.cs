using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessInnovation.Functions.Applications;
using ServerlessInnovation.Functions.Catalog;
using ServerlessInnovation.Functions.Documents;
using ServerlessInnovation.Functions.Hosting;
using ServerlessInnovation.Functions.Statistics;
using static ServerlessInnovation.Tests.Infrastructure.BicepFacts;

namespace ServerlessInnovation.Tests.Infrastructure;

/// <summary>
/// The Bicep in infra/ checked without a Bicep CLI: every file parses (tree-sitter-bicep through infra/parse-bicep.mjs),
/// and its structure says what the app needs on Flex Consumption: resource types and API versions, the plan and the
/// custom-handler runtime, storage hardening, the identity's roles, the app settings, and the same tables, queues and
/// containers as the app (function.json and the options' defaults), both ways.
/// </summary>
public sealed partial class BicepTests
{
    private const string Main = "main.bicep";
    private const string FunctionAppModule = "modules/functionapp.bicep";
    private const string StorageModule = "modules/storage.bicep";
    private const string RolesModule = "modules/roles.bicep";

    /// <summary>Every resource type the templates may declare, with the API version the reference pins it to.</summary>
    private static readonly Dictionary<string, string> ApiVersions = new(StringComparer.Ordinal)
    {
        ["Microsoft.Web/serverfarms"] = "2024-04-01",
        ["Microsoft.Web/sites"] = "2024-04-01",
        ["Microsoft.Web/sites/config"] = "2024-04-01",
        ["Microsoft.Web/sites/basicPublishingCredentialsPolicies"] = "2024-04-01",
        ["Microsoft.Storage/storageAccounts"] = "2023-05-01",
        ["Microsoft.Storage/storageAccounts/blobServices"] = "2023-05-01",
        ["Microsoft.Storage/storageAccounts/blobServices/containers"] = "2023-05-01",
        ["Microsoft.Storage/storageAccounts/queueServices"] = "2023-05-01",
        ["Microsoft.Storage/storageAccounts/queueServices/queues"] = "2023-05-01",
        ["Microsoft.Storage/storageAccounts/tableServices"] = "2023-05-01",
        ["Microsoft.Storage/storageAccounts/tableServices/tables"] = "2023-05-01",
        ["Microsoft.ManagedIdentity/userAssignedIdentities"] = "2023-01-31",
        ["Microsoft.Authorization/roleAssignments"] = "2022-04-01",
        ["Microsoft.Insights/components"] = "2020-02-02",
        ["Microsoft.OperationalInsights/workspaces"] = "2023-09-01",
        ["Microsoft.KeyVault/vaults"] = "2023-07-01",
        ["Microsoft.KeyVault/vaults/secrets"] = "2023-07-01",
    };

    /// <summary>Built-in role definition ids, and the resource each is scoped to in roles.bicep.</summary>
    private static readonly Dictionary<string, string> Roles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "storage",             // Storage Blob Data Owner
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "storage",             // Storage Queue Data Contributor
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "storage",             // Storage Table Data Contributor
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "applicationInsights", // Monitoring Metrics Publisher
        ["4633458b-17de-408a-b874-0445c86b69e6"] = "vault",               // Key Vault Secrets User
    };

    /// <summary>Settings Flex Consumption refuses or ignores, and key-based storage settings.</summary>
    private static readonly string[] ForbiddenSettings =
    [
        "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_WORKER_RUNTIME_VERSION", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTOVERVNET", "WEBSITE_VNET_ROUTE_ALL",
        "SCM_DO_BUILD_DURING_DEPLOYMENT", "ENABLE_ORYX_BUILD", "WEBSITE_NODE_DEFAULT_VERSION", "AzureWebJobsStorage",
        "Storage", "APPINSIGHTS_INSTRUMENTATIONKEY", "WEBSITE_AUTH_ENABLED", "Documents__BrowserUploadOrigins__0",
    ];

    [Fact]
    public void EveryBicepFileParsesWithoutErrors()
    {
        var facts = Infra;

        Assert.Equal("1.1.0", (string)facts.Json["parser"]!["tree-sitter-bicep"]!);
        Assert.Equal(
            ["infra/main.bicep", "infra/modules/functionapp.bicep", "infra/modules/identity.bicep", "infra/modules/keyvault.bicep",
             "infra/modules/monitoring.bicep", "infra/modules/roles.bicep", "infra/modules/storage.bicep"],
            facts.Files.Select(f => (string)f["path"]!).Order(StringComparer.Ordinal));
        Assert.All(facts.Files, f => Assert.True(f["errors"]!.AsArray().Count == 0, $"{f["path"]}: {f["errors"]!.ToJsonString()}"));
        Assert.Equal(0, facts.ExitCode);
    }

    [Fact]
    public void ABrokenBicepSnippetIsReportedAsAParseErrorWithItsLine()
    {
        var directory = Directory.CreateTempSubdirectory("bicep-");
        try
        {
            var broken = Path.Combine(directory.FullName, "broken.bicep");
            File.WriteAllText(broken, """
                param name string

                resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
                  name: name
                  sku: {
                    name: 'FC1'
                    tier: 'FlexConsumption'

                output id string = plan.id
                """);

            var (exitCode, output, _) = RunParser(broken);

            Assert.Equal(1, exitCode);
            var errors = JsonNode.Parse(output)!["files"]![0]!["errors"]!.AsArray();
            Assert.NotEmpty(errors);
            Assert.All(errors, e => Assert.True((int)e!["line"]! >= 1 && (int)e["column"]! >= 1));
            Assert.Contains(errors, e => (string)e!["kind"]! is "ERROR" or "MISSING");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void TheParserGivesNestedChildrenTheirFullTypeAndReportsConditionsDecoratorsAndExpressions()
    {
        var directory = Directory.CreateTempSubdirectory("bicep-");
        try
        {
            var file = Path.Combine(directory.FullName, "sample.bicep");
            File.WriteAllText(file, """
                @allowed([
                  'a'
                  'b'
                ])
                param mode string = 'a'

                resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
                  name: 'st${uniqueString(resourceGroup().id)}'
                  properties: {
                    allowSharedKeyAccess: false
                  }
                  resource queues 'queueServices' = {
                    name: 'default'
                    resource work 'queues' = if (mode == 'b') {
                      name: 'work-items'
                    }
                  }
                }
                """);

            var (exitCode, output, _) = RunParser(file);

            Assert.Equal(0, exitCode);
            var parsed = JsonNode.Parse(output)!["files"]![0]!.AsObject();
            Assert.Equal(["a", "b"], Strings(Decorator(Param(parsed, "mode"), "allowed")["args"]![0]));
            var resources = ResourcesOf(parsed).ToList();
            Assert.Equal(
                ["Microsoft.Storage/storageAccounts", "Microsoft.Storage/storageAccounts/queueServices", "Microsoft.Storage/storageAccounts/queueServices/queues"],
                resources.Select(r => (string)r["type"]!));
            Assert.All(resources, r => Assert.Equal("2023-05-01", (string?)r["apiVersion"]));
            Assert.Equal("queues", (string?)resources[2]["parent"]);
            Assert.Equal("(mode == 'b')", (string?)resources[2]["condition"]);
            Assert.Equal("work-items", Literal(At(resources[2]["body"], "name")));
            Assert.Equal("'st${uniqueString(resourceGroup().id)}'", Expression(At(resources[0]["body"], "name")));
            Assert.False((bool)At(resources[0]["body"], "properties.allowSharedKeyAccess")!);
            Assert.Null(At(resources[0]["body"], "queues"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void ModulesAreLocalFilesAndNoneComesFromARegistry()
    {
        var main = Infra.File(Main);
        var modules = main["modules"]!.AsArray().Select(m => (string)m!["path"]!).ToList();

        Assert.Equal(
            ["modules/functionapp.bicep", "modules/identity.bicep", "modules/keyvault.bicep", "modules/monitoring.bicep", "modules/roles.bicep", "modules/storage.bicep"],
            modules.Order(StringComparer.Ordinal));
        Assert.All(modules, m => Assert.True(File.Exists(Path.Combine(InfraDirectory, m)), m));
        foreach (var file in Directory.EnumerateFiles(InfraDirectory, "*.bicep", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("'br:", text, StringComparison.Ordinal);
            Assert.DoesNotContain("'br/", text, StringComparison.Ordinal);
            Assert.DoesNotContain("'ts:", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryModuleCallPassesOnlyParametersTheModuleDeclaresAndEveryRequiredOne()
    {
        foreach (var module in Infra.File(Main)["modules"]!.AsArray().Select(m => m!.AsObject()))
        {
            var path = (string)module["path"]!;
            var declared = Infra.File(path)["params"]!.AsArray().Select(p => p!.AsObject()).ToList();
            var passed = module["params"]!.AsObject().Select(p => p.Key).ToList();

            Assert.All(passed, p => Assert.Contains(declared, d => (string)d["name"]! == p));
            Assert.All(declared.Where(d => !(bool)d["hasDefault"]!), d => Assert.Contains((string)d["name"]!, passed));
        }
    }

    [Fact]
    public void EveryParameterIsUsedInItsFile()
    {
        foreach (var file in Infra.Files)
        {
            // Every expression of the file (values, conditions, loops, interpolated keys), without the declarations.
            var expressions = new List<string>();
            Collect(new JsonArray([.. new[] { "vars", "resources", "modules", "outputs" }.Select(k => file[k]!.DeepClone())]), expressions);
            var text = string.Join("\n", expressions);

            Assert.All(file["params"]!.AsArray(), p =>
                Assert.True(Regex.IsMatch(text, $@"(?<![\w.]){(string)p!["name"]!}\b"), $"{file["path"]}: param {p!["name"]} is never used"));
        }

        static void Collect(JsonNode? node, List<string> into)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        if (key is "expr" or "condition" or "loop" && value is JsonValue v && v.TryGetValue<string>(out var s))
                        {
                            into.Add(s);
                        }
                        else
                        {
                            if (key.Contains("${", StringComparison.Ordinal))
                            {
                                into.Add(key);
                            }
                            Collect(value, into);
                        }
                    }
                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Collect(item, into);
                    }
                    break;
            }
        }
    }

    [Fact]
    public void EveryResourceUsesATypeAndApiVersionFromTheReference()
    {
        var resources = Infra.Resources.ToList();

        Assert.All(resources, r =>
        {
            var type = (string)r["type"]!;
            Assert.True(ApiVersions.TryGetValue(type, out var version), $"{type} is not a type the reference covers");
            Assert.Equal(version, (string?)r["apiVersion"]);
        });
        var declared = Infra.Files.SelectMany(Declared).Select(r => (string)r["type"]!).ToHashSet(StringComparer.Ordinal);
        Assert.All(ApiVersions.Keys, type => Assert.Contains(type, declared));
    }

    [Fact]
    public void ThePlanIsFlexConsumptionOnLinux()
    {
        var plan = Assert.Single(Declared(Infra.File(FunctionAppModule)), r => (string)r["type"]! == "Microsoft.Web/serverfarms")["body"];

        Assert.Equal("FC1", Literal(At(plan, "sku.name")));
        Assert.Equal("FlexConsumption", Literal(At(plan, "sku.tier")));
        Assert.Equal("functionapp", Literal(At(plan, "kind")));
        Assert.True((bool)At(plan, "properties.reserved")!);
    }

    [Fact]
    public void TheFunctionAppRunsTheCustomHandlerFromTheDeploymentContainerWithTheUserAssignedIdentity()
    {
        var site = Site();

        Assert.Equal("functionapp,linux", Literal(At(site, "kind")));
        Assert.Equal("UserAssigned", Literal(At(site, "identity.type")));
        Assert.Equal(["'${identityId}'"], At(site, "identity.userAssignedIdentities")!.AsObject().Select(p => p.Key));
        Assert.Equal("plan.id", Expression(At(site, "properties.serverFarmId")));
        Assert.True((bool)At(site, "properties.httpsOnly")!);
        Assert.Equal("custom", Literal(At(site, "properties.functionAppConfig.runtime.name")));
        Assert.Equal("1.0", Literal(At(site, "properties.functionAppConfig.runtime.version")));
        var storage = At(site, "properties.functionAppConfig.deployment.storage");
        Assert.Equal("blobContainer", Literal(At(storage, "type")));
        Assert.Equal("deploymentContainerUrl", Expression(At(storage, "value")));
        Assert.Equal("UserAssignedIdentity", Literal(At(storage, "authentication.type")));
        Assert.Equal("identityId", Expression(At(storage, "authentication.userAssignedIdentityResourceId")));
        Assert.Null(At(storage, "authentication.storageAccountConnectionStringName"));
        // Flex takes no language stack or scale settings in siteConfig.
        Assert.Null(At(site, "properties.siteConfig"));

        // The container URL is the storage account's blob endpoint and the deployment container, passed through main.
        var storageOutput = Infra.File(StorageModule)["outputs"]!.AsArray().Single(o => (string)o!["name"]! == "deploymentContainerUrl")!;
        Assert.Equal("'${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'", Expression(storageOutput["value"]));
        Assert.Equal("storage.outputs.deploymentContainerUrl", Expression(Module(Infra.File(Main), FunctionAppModule)["params"]!["deploymentContainerUrl"]));
    }

    [Fact]
    public void InstanceMemoryAndMaximumInstanceCountComeFromParameters()
    {
        var scale = At(Site(), "properties.functionAppConfig.scaleAndConcurrency");
        Assert.Equal("instanceMemoryMB", Expression(At(scale, "instanceMemoryMB")));
        Assert.Equal("maximumInstanceCount", Expression(At(scale, "maximumInstanceCount")));

        var main = Infra.File(Main);
        var call = Module(main, FunctionAppModule)["params"]!;
        Assert.Equal("instanceMemoryMB", Expression(call["instanceMemoryMB"]));
        Assert.Equal("maximumInstanceCount", Expression(call["maximumInstanceCount"]));
        foreach (var file in new[] { main, Infra.File(FunctionAppModule) })
        {
            var memory = Param(file, "instanceMemoryMB");
            Assert.Equal("int", (string?)memory["type"]);
            Assert.Equal([512, 2048, 4096], Decorator(memory, "allowed")["args"]![0]!.AsArray().Select(v => (int)v!));
            var count = Param(file, "maximumInstanceCount");
            Assert.Equal("int", (string?)count["type"]);
            Assert.Equal(40, (int)Decorator(count, "minValue")["args"]![0]!);
            Assert.Equal(1000, (int)Decorator(count, "maxValue")["args"]![0]!);
        }
        Assert.Equal(2048, (int)Param(main, "instanceMemoryMB")["default"]!);
        Assert.Equal(100, (int)Param(main, "maximumInstanceCount")["default"]!);
    }

    [Fact]
    public void TheStorageAccountIsHardened()
    {
        var storageFile = Infra.File(StorageModule);
        var account = Assert.Single(Declared(storageFile), r => (string)r["type"]! == "Microsoft.Storage/storageAccounts")["body"];

        Assert.False((bool)At(account, "properties.allowSharedKeyAccess")!);
        Assert.False((bool)At(account, "properties.allowBlobPublicAccess")!);
        Assert.True((bool)At(account, "properties.supportsHttpsTrafficOnly")!);
        Assert.True((bool)At(account, "properties.defaultToOAuthAuthentication")!);
        Assert.Equal("TLS1_2", Literal(At(account, "properties.minimumTlsVersion")));
        Assert.Equal("StorageV2", Literal(At(account, "kind")));
        Assert.All(
            Declared(storageFile).Where(r => (string)r["type"]! == "Microsoft.Storage/storageAccounts/blobServices/containers"),
            c => Assert.Equal("None", Literal(At(c["body"], "properties.publicAccess"))));
    }

    [Fact]
    public void NoBicepFileReadsOrWritesAStorageKey()
    {
        foreach (var file in Directory.EnumerateFiles(InfraDirectory, "*.bicep", SearchOption.AllDirectories)
                     .Append(Path.Combine(InfraDirectory, "main.parameters.dev.json")))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("AccountKey=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("listKeys(", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("StorageAccountConnectionString", text, StringComparison.Ordinal);
            Assert.DoesNotContain("InstrumentationKey", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheIdentityHoldsExactlyTheDataRolesTheAppNeedsEachOnItsResource()
    {
        var roles = Infra.File(RolesModule);
        var assignments = Declared(roles).Where(r => (string)r["type"]! == "Microsoft.Authorization/roleAssignments").ToList();

        var granted = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var assignment in assignments)
        {
            var body = assignment["body"]!;
            var definition = Expression(At(body, "properties.roleDefinitionId"))!;
            var match = RoleDefinitionReference().Match(definition);
            Assert.True(match.Success, definition);
            var roleId = Literal(Var(roles, match.Groups["var"].Value));
            var scope = Expression(At(body, "scope"))!;
            Assert.True(granted.TryAdd(roleId, scope), $"{roleId} is assigned twice");
            Assert.Equal("principalId", Expression(At(body, "properties.principalId")));
            Assert.Equal("ServicePrincipal", Literal(At(body, "properties.principalType")));
            Assert.Equal($"guid({scope}.id, principalId, {match.Groups["var"].Value})", Expression(At(body, "name")));
        }
        Assert.Equal(Roles.OrderBy(r => r.Key, StringComparer.Ordinal), granted.OrderBy(r => r.Key, StringComparer.Ordinal));

        // The scopes are the app's own resources, and the principal is the user-assigned identity.
        var existing = ResourcesOf(roles).Where(r => (bool)r["existing"]!).ToDictionary(r => (string)r["symbol"]!, r => (string)r["type"]!);
        Assert.Equal("Microsoft.Storage/storageAccounts", existing["storage"]);
        Assert.Equal("Microsoft.Insights/components", existing["applicationInsights"]);
        Assert.Equal("Microsoft.KeyVault/vaults", existing["vault"]);
        var call = Module(Infra.File(Main), RolesModule)["params"]!;
        Assert.Equal("identity.outputs.principalId", Expression(call["principalId"]));
        Assert.Equal("storage.outputs.name", Expression(call["storageAccountName"]));
        Assert.Equal("monitoring.outputs.applicationInsightsName", Expression(call["applicationInsightsName"]));
        Assert.Equal("keyVault.outputs.name", Expression(call["keyVaultName"]));
        // The app starts only once its identity holds the roles.
        Assert.Contains("roles", Module(Infra.File(Main), FunctionAppModule)["body"]!["dependsOn"]!.AsArray().Select(d => Expression(d)));
    }

    [Fact]
    public void TheRequiredAppSettingsArePresentInTheirIdentityBasedForm()
    {
        var settings = AppSettings();

        Assert.Equal("storageAccountName", Expression(settings["AzureWebJobsStorage__accountName"]));
        Assert.Equal("managedidentity", Literal(settings["AzureWebJobsStorage__credential"]));
        Assert.Equal("identityClientId", Expression(settings["AzureWebJobsStorage__clientId"]));
        Assert.Equal("storageAccountName", Expression(settings["Storage__accountName"]));
        Assert.Equal("managedidentity", Literal(settings["Storage__credential"]));
        Assert.Equal("identityClientId", Expression(settings["Storage__clientId"]));
        Assert.Equal("storageBlobEndpoint", Expression(settings["Storage__blobServiceUri"]));
        Assert.Equal("storageQueueEndpoint", Expression(settings["Storage__queueServiceUri"]));
        Assert.Equal("storageTableEndpoint", Expression(settings["Storage__tableServiceUri"]));
        Assert.Equal("applicationInsightsConnectionString", Expression(settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]));
        Assert.Equal("'ClientId=${identityClientId};Authorization=AAD'", Expression(settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]));
        Assert.Equal("jurisdictionClaim", Expression(settings["Bureaus__JurisdictionClaim"]));

        // Bureau key hashes join as Bureaus__KeyHashes__{code}, into the one appsettings resource.
        var file = Infra.File(FunctionAppModule);
        Assert.Equal("toObject(items(bureauKeyHashes), entry => 'Bureaus__KeyHashes__${entry.key}', entry => entry.value)", Expression(Var(file, "bureauKeyHashSettings")));
        var configs = Declared(file).Where(r => (string)r["type"]! == "Microsoft.Web/sites/config").ToList();
        var appSettings = Assert.Single(configs, c => At(c["body"], "name") is JsonValue v && (string)v! == "appsettings");
        Assert.Equal("union(appSettings, bureauKeyHashSettings)", Expression(At(appSettings["body"], "properties")));
    }

    [Fact]
    public void TheAppReadsTheBicepStorageSettingsAsAnIdentityBasedConnection()
    {
        // The settings as Azure would hold them: the Storage__ entries of the Bicep, with the module's parameters filled
        // in as ARM returns them (primaryEndpoints end with a slash).
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["storageAccountName"] = "stexample",
            ["identityClientId"] = "00000000-0000-0000-0000-000000000001",
            ["storageBlobEndpoint"] = "https://stexample.blob.core.windows.net/",
            ["storageQueueEndpoint"] = "https://stexample.queue.core.windows.net/",
            ["storageTableEndpoint"] = "https://stexample.table.core.windows.net/",
        };
        var settings = AppSettings()
            .Where(s => s.Key.StartsWith("Storage__", StringComparison.Ordinal))
            .ToDictionary(s => s.Key, s => Expression(s.Value) is { } parameter ? values[parameter] : Literal(s.Value), StringComparer.Ordinal);

        var connection = ServerlessInnovation.Storage.StorageConnection.FromSettings("Storage", key => settings.GetValueOrDefault(key));

        Assert.Equal("stexample", connection.AccountName);
        var blobs = connection.GetBlobServiceClient();
        Assert.Equal("stexample", blobs.AccountName);
        Assert.Equal("https://stexample.blob.core.windows.net/documents", blobs.GetBlobContainerClient("documents").Uri.AbsoluteUri);
        Assert.Equal(new Uri("https://stexample.table.core.windows.net/"), connection.GetTableServiceClient().Uri);
    }

    [Fact]
    public void NoDeprecatedOrKeyBasedAppSettingIsSet()
    {
        var settings = AppSettings();

        Assert.All(ForbiddenSettings, name => Assert.DoesNotContain(settings, s => string.Equals(s.Key, name, StringComparison.OrdinalIgnoreCase)));
        Assert.All(settings, s => Assert.DoesNotContain("AccountKey", s.Value?.ToJsonString() ?? "", StringComparison.OrdinalIgnoreCase));
        Assert.All(settings, s => Assert.DoesNotContain("SharedAccessSignature", s.Value?.ToJsonString() ?? "", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void TheSigningKeyIsAKeyVaultReferenceAndNeverAValueInTheRepository()
    {
        Assert.Equal("'@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${signingKeySecretName})'", Expression(AppSettings()["Applications__SigningKey"]));
        Assert.Equal("identityId", Expression(At(Site(), "properties.keyVaultReferenceIdentity")));

        var main = Infra.File(Main);
        var key = Param(main, "applicationsSigningKey");
        Assert.Single(key["decorators"]!.AsArray(), d => (string)d!["name"]! == "secure");
        Assert.Equal("", Literal(key["default"]));
        var vault = Infra.File("modules/keyvault.bicep");
        Assert.Single(Param(vault, "signingKey")["decorators"]!.AsArray(), d => (string)d!["name"]! == "secure");
        var secret = Assert.Single(Declared(vault), r => (string)r["type"]! == "Microsoft.KeyVault/vaults/secrets");
        Assert.Equal("(!empty(signingKey))", (string?)secret["condition"]);
        Assert.True((bool)At(Assert.Single(Declared(vault), r => (string)r["type"]! == "Microsoft.KeyVault/vaults")["body"], "properties.enableRbacAuthorization")!);

        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(InfraDirectory, "main.parameters.dev.json")))!["parameters"]!.AsObject();
        Assert.DoesNotContain(parameters, p => p.Key.Contains("Key", StringComparison.Ordinal) && p.Key != "bureauKeyHashes");
    }

    [Fact]
    public void EverySettingAFunctionJsonNamesIsAnAppSettingWithTheValueOfAppsettingsJson()
    {
        var settings = AppSettings();
        var local = AppsettingsJson();
        var names = FunctionJsonSettings().ToList();

        Assert.Equal(["ApplicationsQueue", "DocumentsQueue", "RefreshStatisticsSchedule", "SweepApplicationsSchedule"], names);
        Assert.All(names, name => Assert.Equal((string)local[name]!, Literal(settings[name])));
    }

    [Fact]
    public void EveryQueueTheAppUsesExistsInBicepWithItsPoisonQueueAndNoOther()
    {
        var used = AppQueues().SelectMany(q => new[] { q, q + "-poison" }).ToList();

        var (missing, unused) = CrossCheck(used, BicepNames("Microsoft.Storage/storageAccounts/queueServices/queues"), []);

        Assert.Empty(missing);
        Assert.Empty(unused);
        Assert.Equal(["applications", "applications-poison", "documents", "documents-poison"], used.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryTableTheAppUsesExistsInBicepAndNoOther()
    {
        var (missing, unused) = CrossCheck(AppTables(), BicepNames("Microsoft.Storage/storageAccounts/tableServices/tables"), []);

        Assert.Empty(missing);
        Assert.Empty(unused);
    }

    [Fact]
    public void EveryContainerTheAppUsesExistsInBicepAndOnlyTheDeploymentContainerBesides()
    {
        var deploymentContainer = DeploymentContainerName();

        var (missing, unused) = CrossCheck(AppContainers(), BicepNames("Microsoft.Storage/storageAccounts/blobServices/containers"), [deploymentContainer]);

        Assert.Empty(missing);
        Assert.Empty(unused);
        Assert.Equal("app-package", deploymentContainer);
        Assert.DoesNotContain(deploymentContainer, AppContainers());
    }

    [Fact]
    public void TheCrossCheckFindsANameMissingFromBicepAndOneTheAppDoesNotUse()
    {
        var bicepQueues = BicepNames("Microsoft.Storage/storageAccounts/queueServices/queues").Where(q => q != "documents-poison").Append("orphans");
        var used = AppQueues().SelectMany(q => new[] { q, q + "-poison" });

        var (missing, unused) = CrossCheck(used, bicepQueues, []);

        Assert.Equal(["documents-poison"], missing);
        Assert.Equal(["orphans"], unused);
        Assert.Empty(CrossCheck(AppContainers(), BicepNames("Microsoft.Storage/storageAccounts/blobServices/containers"), []).MissingFromBicep);
        Assert.Equal([DeploymentContainerName()], CrossCheck(AppContainers(), BicepNames("Microsoft.Storage/storageAccounts/blobServices/containers"), []).UnusedInBicep);
    }

    [Fact]
    public void StorageNamesFollowTheAzureNamingRules()
    {
        Assert.All(BicepNames("Microsoft.Storage/storageAccounts/blobServices/containers"), n => Assert.Matches(ContainerOrQueueName(), n));
        Assert.All(BicepNames("Microsoft.Storage/storageAccounts/queueServices/queues"), n => Assert.Matches(ContainerOrQueueName(), n));
        Assert.All(BicepNames("Microsoft.Storage/storageAccounts/tableServices/tables"), n => Assert.Matches(TableName(), n));
        Assert.All(
            Declared(Infra.File(StorageModule)).Where(r => ((string)r["type"]!).EndsWith("Services", StringComparison.Ordinal)),
            s => Assert.Equal("default", Literal(At(s["body"], "name"))));
    }

    [Fact]
    public void TheBlobServiceLetsTheFunctionAppOriginUploadWithTheAppsCorsRule()
    {
        var blobService = Assert.Single(Declared(Infra.File(StorageModule)), r => (string)r["type"]! == "Microsoft.Storage/storageAccounts/blobServices");
        var rule = Assert.Single(At(blobService["body"], "properties.cors.corsRules")!.AsArray())!;
        var expected = BrowserUploadCors.Rule([]);

        Assert.Equal("uploadCorsOrigins", Expression(rule["allowedOrigins"]));
        Assert.Equal(expected.AllowedMethods, Strings(rule["allowedMethods"]));
        Assert.Equal(expected.AllowedHeaders, Strings(rule["allowedHeaders"]));
        Assert.Equal(expected.ExposedHeaders, Strings(rule["exposedHeaders"]));
        Assert.Equal(expected.MaxAgeInSeconds, (int)rule["maxAgeInSeconds"]!);

        var origins = Expression(Module(Infra.File(Main), StorageModule)["params"]!["uploadCorsOrigins"])!;
        Assert.Contains("'https://${functionAppName}.azurewebsites.net'", origins, StringComparison.Ordinal);
        Assert.Contains("additionalUploadOrigins", origins, StringComparison.Ordinal);
    }

    [Fact]
    public void AppServiceAuthenticationAllowsAnonymousAndSignsBureausInWithTheConfiguredEntraApp()
    {
        var configs = Declared(Infra.File(FunctionAppModule)).Where(r => (string)r["type"]! == "Microsoft.Web/sites/config");
        var auth = Assert.Single(configs, c => At(c["body"], "name") is JsonValue v && (string)v! == "authsettingsV2");
        var body = auth["body"];

        Assert.Equal("(!empty(authClientId))", (string?)auth["condition"]);
        Assert.True((bool)At(body, "properties.platform.enabled")!);
        Assert.False((bool)At(body, "properties.globalValidation.requireAuthentication")!);
        Assert.Equal("AllowAnonymous", Literal(At(body, "properties.globalValidation.unauthenticatedClientAction")));
        Assert.True((bool)At(body, "properties.identityProviders.azureActiveDirectory.enabled")!);
        Assert.Equal("authClientId", Expression(At(body, "properties.identityProviders.azureActiveDirectory.registration.clientId")));
        Assert.Equal("'${environment().authentication.loginEndpoint}${authTenantId}/v2.0'",
            Expression(At(body, "properties.identityProviders.azureActiveDirectory.registration.openIdIssuer")));
        Assert.Null(At(body, "properties.identityProviders.azureActiveDirectory.registration.clientSecretSettingName"));
        Assert.True((bool)At(body, "properties.httpSettings.requireHttps")!);
        Assert.Equal("authClientId", Expression(Module(Infra.File(Main), FunctionAppModule)["params"]!["authClientId"]));
        Assert.Equal("", Literal(Param(Infra.File(Main), "authClientId")["default"]));
    }

    [Fact]
    public void ApplicationInsightsTakesOnlyEntraAuthenticatedTelemetryIntoLogAnalytics()
    {
        var monitoring = Declared(Infra.File("modules/monitoring.bicep")).ToList();
        var insights = Assert.Single(monitoring, r => (string)r["type"]! == "Microsoft.Insights/components")["body"];

        Assert.True((bool)At(insights, "properties.DisableLocalAuth")!);
        Assert.Equal("web", Literal(At(insights, "properties.Application_Type")));
        Assert.Equal("workspace.id", Expression(At(insights, "properties.WorkspaceResourceId")));
        Assert.Single(monitoring, r => (string)r["type"]! == "Microsoft.OperationalInsights/workspaces");
    }

    [Fact]
    public void TheOutputsGiveAnOperatorWhatTheyNeedAndNoSecret()
    {
        var outputs = Infra.File(Main)["outputs"]!.AsArray().Select(o => o!.AsObject()).ToDictionary(o => (string)o["name"]!);

        string[] needed =
        [
            "FUNCTION_APP_NAME", "FUNCTION_APP_ID", "FUNCTION_APP_HOSTNAME", "FUNCTION_APP_URL", "STORAGE_ACCOUNT_NAME", "STORAGE_ACCOUNT_ID",
            "DEPLOYMENT_CONTAINER_NAME", "DEPLOYMENT_CONTAINER_URL", "IDENTITY_ID", "IDENTITY_CLIENT_ID", "IDENTITY_PRINCIPAL_ID",
            "APPLICATIONINSIGHTS_NAME", "APPLICATIONINSIGHTS_CONNECTION_STRING", "KEY_VAULT_NAME", "SIGNING_KEY_SECRET_NAME", "AZURE_RESOURCE_GROUP",
        ];
        Assert.All(needed, name => Assert.Contains(name, outputs.Keys));
        Assert.All(outputs.Values, o => Assert.DoesNotContain("applicationsSigningKey", o["value"]!.ToJsonString(), StringComparison.Ordinal));
        Assert.All(outputs.Values, o => Assert.DoesNotContain("listKeys", o["value"]!.ToJsonString(), StringComparison.Ordinal));
        Assert.Equal("'https://${functionApp.outputs.defaultHostName}'", Expression(outputs["FUNCTION_APP_URL"]["value"]));
    }

    [Fact]
    public void TheDevParametersNameOnlyParametersOfMainBicepWithinTheirLimits()
    {
        var main = Infra.File(Main);
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(InfraDirectory, "main.parameters.dev.json")))!.AsObject();
        var parameters = file["parameters"]!.AsObject();
        var declared = main["params"]!.AsArray().Select(p => p!.AsObject()).ToDictionary(p => (string)p["name"]!);

        Assert.Equal("https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", (string)file["$schema"]!);
        Assert.All(parameters, p => Assert.True(declared.ContainsKey(p.Key), $"main.bicep has no param {p.Key}"));
        Assert.All(declared.Values.Where(p => !(bool)p["hasDefault"]! && (string)p["name"]! != "applicationsSigningKey"),
            p => Assert.True(parameters.ContainsKey((string)p["name"]!), $"main.parameters.dev.json lacks {p["name"]}"));
        Assert.Equal("dev", (string)parameters["environmentName"]!["value"]!);
        Assert.Contains((int)parameters["instanceMemoryMB"]!["value"]!, Decorator(declared["instanceMemoryMB"], "allowed")["args"]![0]!.AsArray().Select(v => (int)v!));
        var count = (int)parameters["maximumInstanceCount"]!["value"]!;
        Assert.InRange(count, 40, 1000);
    }

    private static JsonNode Site() =>
        Assert.Single(Declared(Infra.File(FunctionAppModule)), r => (string)r["type"]! == "Microsoft.Web/sites")["body"]!;

    private static JsonObject AppSettings() => Var(Infra.File(FunctionAppModule), "appSettings")!.AsObject();

    private static JsonObject AppsettingsJson() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.FunctionsProject, "appsettings.json")))!.AsObject();

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(Literal)];

    /// <summary>Every <c>%Setting%</c> in any function.json, in order.</summary>
    private static IEnumerable<string> FunctionJsonSettings() =>
        FunctionJsonFiles()
            .SelectMany(f => SettingExpression().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

    private static IEnumerable<string> FunctionJsonFiles() =>
        Directory.EnumerateDirectories(RepositoryPaths.FunctionsProject)
            .Select(d => Path.Combine(d, "function.json"))
            .Where(File.Exists);

    /// <summary>The queues the queue triggers listen on: their queueName, a %Setting% resolved through appsettings.json.</summary>
    private static List<string> AppQueues()
    {
        var local = AppsettingsJson();
        var queues = new List<string>();
        foreach (var file in FunctionJsonFiles())
        {
            foreach (var binding in JsonNode.Parse(File.ReadAllText(file))!["bindings"]!.AsArray())
            {
                if ((string?)binding!["type"] is "queueTrigger" or "queue")
                {
                    var name = (string)binding["queueName"]!;
                    var setting = SettingExpression().Match(name);
                    queues.Add(setting.Success ? (string)local[setting.Groups["name"].Value]! : name);
                }
            }
        }
        return queues;
    }

    /// <summary>The tables of the app's options, at their defaults (Azure sets none of them).</summary>
    private static string[] AppTables() =>
    [
        new CatalogOptions().CarrierTable, new CatalogOptions().StateTable,
        new ApplicationOptions().ApplicationTable, new ApplicationOptions().RequestTable,
        new DocumentOptions().DocumentTable, new StatisticsOptions().StatisticsTable,
    ];

    /// <summary>The blob containers of the app's options, at their defaults.</summary>
    private static string[] AppContainers() =>
    [
        new DocumentOptions().Container, new StatisticsOptions().ReportContainer, new TimerTriggerOptions().Container,
    ];

    /// <summary>The names of the storage child resources of <paramref name="type"/>, resolved through main.bicep where a parameter names them.</summary>
    private static List<string> BicepNames(string type) =>
        Declared(Infra.File(StorageModule)).Where(r => (string)r["type"]! == type).Select(r => ResolveStorageName(r["body"]!["name"])).ToList();

    private static string DeploymentContainerName() =>
        ResolveStorageName(Module(Infra.File(Main), StorageModule)["params"]!["deploymentContainerName"]);

    /// <summary>A literal, or a parameter of storage.bicep that main.bicep passes as a literal or as one of its vars.</summary>
    private static string ResolveStorageName(JsonNode? name)
    {
        var main = Infra.File(Main);
        for (var hops = 0; hops < 3; hops++)
        {
            if (Expression(name) is not { } expression)
            {
                return Literal(name);
            }
            var call = Module(main, StorageModule)["params"]!.AsObject();
            name = hops == 0 && call.ContainsKey(expression) ? call[expression] : Var(main, expression);
        }
        throw new InvalidOperationException("A storage name resolves through more than a module parameter and a variable.");
    }

    [GeneratedRegex("roleDefinitions', (?<var>[A-Za-z]+)\\)$")]
    private static partial Regex RoleDefinitionReference();

    [GeneratedRegex("%(?<name>[A-Za-z0-9_:.-]+)%")]
    private static partial Regex SettingExpression();

    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$")]
    private static partial Regex ContainerOrQueueName();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableName();
}
