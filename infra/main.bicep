// ServerlessInnovation (一键入孵) in one resource group: a custom-handler function app on Flex Consumption, its
// user-assigned identity and data roles, its storage account (no shared keys), Key Vault for the signing key, and
// Log Analytics with Application Insights. Deploy: see infra/README.md.
targetScope = 'resourceGroup'

@description('Short environment name, part of every resource name (dev, test, prod).')
@minLength(2)
@maxLength(8)
param environmentName string

@description('Azure region of every resource (one that offers Flex Consumption).')
param location string = resourceGroup().location

@description('Short name of the workload, part of resource names.')
@minLength(2)
@maxLength(10)
param workloadName string = 'si'

@description('Memory of each function app instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances the function app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Client id of the Entra app registration for bureau sign-in (App Service Authentication). Empty: bureaus use API keys only.')
param authClientId string = ''

@description('The claim carrying a signed-in bureau user\'s bureau code (Bureaus__JurisdictionClaim).')
param jurisdictionClaim string = 'jurisdiction'

@description('SHA-256 (64 lowercase hex characters) of each bureau\'s API key, by bureau code, e.g. { xihu: \'…\' }. Hashes only.')
param bureauKeyHashes object = {}

@description('Applications__SigningKey: base64, at least 32 bytes (openssl rand -base64 32). Needed on the first deployment; empty afterwards keeps the stored key.')
@secure()
param applicationsSigningKey string = ''

@description('Further origins (https://host[:port]) allowed to upload straight to Blob storage, beside the function app\'s own.')
param additionalUploadOrigins array = []

@description('Days Log Analytics keeps data.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Tags for every resource.')
param tags object = {}

var resourceToken = toLower(uniqueString(resourceGroup().id, workloadName, environmentName, location))
var allTags = union({ workload: 'serverless-innovation', environment: environmentName }, tags)
var functionAppName = 'func-${workloadName}-${environmentName}-${resourceToken}'
var deploymentContainerName = 'app-package'
var signingKeySecretName = 'applications-signing-key'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: 'id-${workloadName}-${environmentName}-${resourceToken}'
    location: location
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-${workloadName}-${environmentName}-${resourceToken}'
    applicationInsightsName: 'appi-${workloadName}-${environmentName}-${resourceToken}'
    location: location
    retentionInDays: logRetentionInDays
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: 'st${resourceToken}'
    location: location
    deploymentContainerName: deploymentContainerName
    uploadCorsOrigins: concat([
      'https://${functionAppName}.azurewebsites.net'
    ], additionalUploadOrigins)
    tags: allTags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: 'kv-${resourceToken}'
    location: location
    signingKeySecretName: signingKeySecretName
    signingKey: applicationsSigningKey
    tags: allTags
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  // The identity holds its roles before the host first starts.
  dependsOn: [
    roles
  ]
  params: {
    name: functionAppName
    planName: 'plan-${workloadName}-${environmentName}-${resourceToken}'
    location: location
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    keyVaultName: keyVault.outputs.name
    signingKeySecretName: signingKeySecretName
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    authClientId: authClientId
    jurisdictionClaim: jurisdictionClaim
    bureauKeyHashes: bureauKeyHashes
    tags: allTags
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup().name
output FUNCTION_APP_NAME string = functionApp.outputs.name
output FUNCTION_APP_ID string = functionApp.outputs.id
output FUNCTION_APP_HOSTNAME string = functionApp.outputs.defaultHostName
output FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output AUTHENTICATION_ENABLED bool = functionApp.outputs.authenticationEnabled
output STORAGE_ACCOUNT_NAME string = storage.outputs.name
output STORAGE_ACCOUNT_ID string = storage.outputs.id
output DEPLOYMENT_CONTAINER_NAME string = storage.outputs.deploymentContainerName
output DEPLOYMENT_CONTAINER_URL string = storage.outputs.deploymentContainerUrl
output IDENTITY_ID string = identity.outputs.id
output IDENTITY_CLIENT_ID string = identity.outputs.clientId
output IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
output LOG_ANALYTICS_WORKSPACE_ID string = monitoring.outputs.logAnalyticsId
output KEY_VAULT_NAME string = keyVault.outputs.name
output KEY_VAULT_URI string = keyVault.outputs.uri
output SIGNING_KEY_SECRET_NAME string = signingKeySecretName
