// The Flex Consumption (FC1) plan and the Linux function app: the custom handler (runtime `custom`, host.json's
// customHandler), run from the package in the deployment container with the user-assigned identity, identity-based
// storage settings for the host and the app, Application Insights with Entra authentication, the signing key as a
// Key Vault reference, and optionally App Service Authentication (Entra ID) for the bureau staff.

@description('Name of the function app (globally unique: <name>.azurewebsites.net).')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region.')
param location string

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Name of the storage account.')
param storageAccountName string

@description('Blob, queue and table endpoints of the storage account (https://<account>.<service>.<suffix>/).')
param storageBlobEndpoint string
param storageQueueEndpoint string
param storageTableEndpoint string

@description('URL of the blob container holding the deployment package.')
param deploymentContainerUrl string

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Name of the Key Vault, and of the secret holding Applications__SigningKey.')
param keyVaultName string
param signingKeySecretName string

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Client id of the Entra app registration bureau staff sign in with. Empty: no App Service Authentication.')
param authClientId string = ''

@description('Tenant of that app registration.')
param authTenantId string = tenant().tenantId

@description('The claim carrying a signed-in bureau user\'s bureau code (Bureaus__JurisdictionClaim).')
param jurisdictionClaim string = 'jurisdiction'

@description('SHA-256 (64 lowercase hex characters) of each bureau\'s API key, by bureau code. Hashes only, never keys.')
param bureauKeyHashes object = {}

@description('Tags for every resource.')
param tags object = {}

// Every app setting, in one place: the appsettings resource below replaces the whole set on each deployment.
var appSettings = {
  // The host's own storage (keys, leases, timer locks), identity-based.
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  // The app's storage client, and the queue triggers' connection ("connection": "Storage" in function.json).
  Storage__accountName: storageAccountName
  Storage__credential: 'managedidentity'
  Storage__clientId: identityClientId
  Storage__blobServiceUri: storageBlobEndpoint
  Storage__queueServiceUri: storageQueueEndpoint
  Storage__tableServiceUri: storageTableEndpoint
  // Application Insights, authenticated with the identity (local auth is disabled).
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  // The %Setting% expressions of function.json: the host resolves them from app settings only.
  ApplicationsQueue: 'applications'
  DocumentsQueue: 'documents'
  SweepApplicationsSchedule: '0 */1 * * * *'
  RefreshStatisticsSchedule: '0 0 18 * * *'
  // The app's one secret, from Key Vault (resolved with keyVaultReferenceIdentity).
  Applications__SigningKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${signingKeySecretName})'
  Bureaus__JurisdictionClaim: jurisdictionClaim
}

var bureauKeyHashSettings = toObject(items(bureauKeyHashes), entry => 'Bureaus__KeyHashes__${entry.key}', entry => entry.value)

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'custom'
        version: '1.0'
      }
    }
  }

  resource appSettingsConfig 'config' = {
    name: 'appsettings'
    properties: union(appSettings, bureauKeyHashSettings)
  }

  // App Service Authentication (Easy Auth) with Entra ID, for the bureau staff. Sign-in is optional at the platform:
  // the startup pages and API are public, and the app itself demands the app role `bureau` and a jurisdiction claim
  // on every /api/bureau endpoint (X-MS-CLIENT-PRINCIPAL, trusted only when the platform sets WEBSITE_AUTH_ENABLED).
  resource authSettings 'config' = if (!empty(authClientId)) {
    name: 'authsettingsV2'
    properties: {
      platform: {
        enabled: true
        runtimeVersion: '~1'
      }
      globalValidation: {
        requireAuthentication: false
        unauthenticatedClientAction: 'AllowAnonymous'
      }
      identityProviders: {
        azureActiveDirectory: {
          enabled: true
          registration: {
            clientId: authClientId
            openIdIssuer: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
          }
          validation: {
            allowedAudiences: [
              'api://${authClientId}'
            ]
          }
        }
      }
      login: {
        // Flex Consumption has no shared file system for a token store; the app needs only the principal header.
        tokenStore: {
          enabled: false
        }
      }
      httpSettings: {
        requireHttps: true
        routes: {
          apiPrefix: '/.auth'
        }
        forwardProxy: {
          convention: 'NoProxy'
        }
      }
    }
  }

  // No publishing passwords: deployments authenticate with Entra (One Deploy with an ARM token).
  resource scmBasicAuth 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }

  resource ftpBasicAuth 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }
}

output id string = site.id
output name string = site.name
output defaultHostName string = site.properties.defaultHostName
output planId string = plan.id
output authenticationEnabled bool = !empty(authClientId)
