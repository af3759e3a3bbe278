// The Key Vault holding the app's one secret, Applications__SigningKey (base64, at least 32 bytes), read by the
// function app through a Key Vault reference with its user-assigned identity (Key Vault Secrets User, roles.bicep).
// The secret is written only when a value is passed, so a later deployment without it keeps the existing key: a new
// key would invalidate every match id and application access token already handed out.

@description('Name of the Key Vault (3-24 letters, digits and hyphens, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Name of the secret holding Applications__SigningKey.')
param signingKeySecretName string

@description('Base64 signing key (at least 32 bytes). Empty: keep the secret as it is.')
@secure()
param signingKey string = ''

@description('Tags for every resource.')
param tags object = {}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource signingKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(signingKey)) {
  parent: vault
  name: signingKeySecretName
  properties: {
    value: signingKey
    contentType: 'base64'
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
