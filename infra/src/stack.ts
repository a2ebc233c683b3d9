// The whole environment from one StackConfig. Its return value is the stack's
// outputs: the contract with the deploy script, the smoke test and operators.
import * as authorization from '@pulumi/azure-native/authorization/index.js';
import * as resources from '@pulumi/azure-native/resources/index.js';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { APP_NAME, APP_PORT, HEALTH_PATH, SECRET_VARIABLES } from './app.js';
import { type BootSettings, renderCloudConfig } from './cloudInit.js';
import type { StackConfig } from './config.js';
import type { Placement } from './context.js';
import { Database } from './database.js';
import { AppIdentity } from './identity.js';
import { Machine } from './machine.js';
import { Network } from './network.js';
import { ReleaseStore } from './release.js';
import { ScaleSet } from './scaleSet.js';
import { Vault } from './vault.js';

function appEnv(db: {
  host: string;
  name: string;
  user: string;
}): Record<string, string> {
  return {
    HTTP_PORT: String(APP_PORT),
    DB_TYPE: 'mysql',
    DB_HOST: db.host,
    DB_PORT: '3306',
    DB_NAME: db.name,
    DB_USER: db.user,
    DB_SSL: 'true',
    LOG_LEVEL: 'info',
  };
}

function customData(
  config: StackConfig,
  parts: {
    db: Database;
    identity: AppIdentity;
    vault: Vault;
    release: ReleaseStore;
  },
): pulumi.Output<string> {
  const { db, identity, vault, release } = parts;
  return pulumi
    .all([db.host, identity.clientId, vault.name, release.url])
    .apply(([host, clientId, keyVaultName, releaseUrl]) => {
      const settings: BootSettings = {
        nodeMajor: config.nodeMajor,
        appEnv: appEnv({ host, name: db.name, user: db.user }),
        clientId,
        keyVaultName,
        secrets: { ...SECRET_VARIABLES },
        releaseUrl,
        releaseSha256: release.sha256,
      };
      return Buffer.from(renderCloudConfig(settings)).toString('base64');
    });
}

export function createStack(config: StackConfig) {
  const client = authorization.getClientConfigOutput();
  const rg = new resources.ResourceGroup('rg', {
    resourceGroupName: `${APP_NAME}-${config.env}`,
    location: config.location,
    tags: { app: APP_NAME, env: config.env },
  });
  const place: Placement = {
    resourceGroupName: rg.name,
    location: config.location,
    subscriptionId: client.subscriptionId,
    tenantId: client.tenantId,
    tags: { app: APP_NAME, env: config.env },
  };

  const net = new Network('net', place, { cidr: config.cidr, natGateway: config.scaled });
  const db = new Database('db', place, {
    env: config.env,
    config: config.db,
    vnetId: net.vnetId,
    subnetId: net.dbSubnetId,
  });
  const identity = new AppIdentity('app', place);
  const adminToken = new random.RandomPassword('admin-token', {
    length: 40,
    special: false,
  });
  const vault = new Vault('secrets', place, {
    purgeProtection: config.keyVaultPurgeProtection,
    readerPrincipalId: identity.principalId,
    secrets: {
      [SECRET_VARIABLES.DB_PASS]: db.password,
      [SECRET_VARIABLES.ADMIN_TOKEN]: adminToken.result,
    },
  });
  const release = new ReleaseStore('release', place, {
    file: config.releaseFile,
    readerPrincipalId: identity.principalId,
  });

  const vm = {
    vmSize: config.vmSize,
    adminUsername: config.adminUsername,
    sshPublicKey: config.sshPublicKey,
    identityId: identity.id,
    customData: customData(config, { db, identity, vault, release }),
    subnetId: net.appSubnetId,
    dnsLabel: config.dnsLabel,
    dependsOn: [...vault.grants, release.grant],
  };
  const front = config.scaled
    ? new ScaleSet('web', place, { ...vm, maxInstances: config.maxInstances })
    : new Machine('web', place, vm);

  return {
    url: pulumi.interpolate`http://${front.fqdn}/`,
    fqdn: front.fqdn,
    healthPath: HEALTH_PATH,
    shape: config.scaled ? 'scaled' : 'single',
    resourceGroup: rg.name,
    dbHost: db.host,
    dbName: db.name,
    dbUser: db.user,
    keyVaultName: vault.name,
    identityClientId: identity.clientId,
    releaseUrl: release.url,
    releaseSha256: release.sha256,
  };
}
