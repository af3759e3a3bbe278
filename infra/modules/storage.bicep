// The storage account of the host and of the app: shared-key access disabled (identities only), TLS 1.2, HTTPS only,
// no public blob access. Every table, queue (with its poison queue) and container the app uses is created here, so
// the names are checked against the app in tests/ServerlessInnovation.Tests/Infrastructure/BicepTests.cs.

@description('Name of the storage account (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Name of the blob container Flex Consumption deploys the app package to.')
param deploymentContainerName string

@description('Origins of the pages that upload straight to Blob storage with a SAS URL (the function app\'s own https origin).')
param uploadCorsOrigins array

@description('Tags for every resource.')
param tags object = {}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    dnsEndpointType: 'Standard'
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'
    properties: {
      // The bureau pages PUT files straight to Blob storage with a user-delegation SAS, and read them back.
      // The same rule as the app's BrowserUploadCors.Rule (which sets it itself only when run outside Azure).
      cors: {
        corsRules: [
          {
            allowedOrigins: uploadCorsOrigins
            allowedMethods: [
              'PUT'
              'GET'
              'HEAD'
              'OPTIONS'
            ]
            allowedHeaders: [
              'x-ms-blob-type'
              'x-ms-*'
              'content-type'
              'content-length'
              'content-md5'
              'cache-control'
            ]
            exposedHeaders: [
              'x-ms-*'
              'etag'
              'content-type'
              'content-length'
              'last-modified'
            ]
            maxAgeInSeconds: 3600
          }
        ]
      }
      deleteRetentionPolicy: {
        enabled: true
        days: 7
      }
      containerDeleteRetentionPolicy: {
        enabled: true
        days: 7
      }
    }

    // Flex Consumption's deployment package (functionAppConfig.deployment); the app itself never reads it.
    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }

    // Documents__Container: uploaded files, their reports and refused rows.
    resource documentsContainer 'containers' = {
      name: 'documents'
      properties: {
        publicAccess: 'None'
      }
    }

    // Statistics__ReportContainer: the nightly CSV, JSON and SVG files.
    resource reportsContainer 'containers' = {
      name: 'reports'
      properties: {
        publicAccess: 'None'
      }
    }

    // Triggers__Timers__Container: timer leases and status when the app runs its own timers (standalone).
    resource timerTriggersContainer 'containers' = {
      name: 'timer-triggers'
      properties: {
        publicAccess: 'None'
      }
    }
  }

  resource queueService 'queueServices' = {
    name: 'default'

    // ApplicationsQueue: ProcessApplication's trigger.
    resource applicationsQueue 'queues' = {
      name: 'applications'
    }

    resource applicationsPoisonQueue 'queues' = {
      name: 'applications-poison'
    }

    // DocumentsQueue: IngestDocument's trigger.
    resource documentsQueue 'queues' = {
      name: 'documents'
    }

    resource documentsPoisonQueue 'queues' = {
      name: 'documents-poison'
    }
  }

  resource tableService 'tableServices' = {
    name: 'default'

    // Catalog__CarrierTable
    resource carriersTable 'tables' = {
      name: 'Carriers'
    }

    // Catalog__StateTable
    resource catalogStateTable 'tables' = {
      name: 'CatalogState'
    }

    // Applications__ApplicationTable
    resource applicationsTable 'tables' = {
      name: 'Applications'
    }

    // Applications__RequestTable
    resource applicationRequestsTable 'tables' = {
      name: 'ApplicationRequests'
    }

    // Documents__DocumentTable
    resource documentsTable 'tables' = {
      name: 'Documents'
    }

    // Statistics__StatisticsTable
    resource statisticsTable 'tables' = {
      name: 'Statistics'
    }
  }
}

output id string = storage.id
output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
output deploymentContainerName string = storage::blobService::deploymentContainer.name
output deploymentContainerUrl string = '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
