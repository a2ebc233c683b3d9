// MySQL Flexible Server on private access only: it sits in the delegated
// subnet, resolves through a private DNS zone linked to the network, has no
// public endpoint, and refuses connections without TLS. The app logs in as the
// server's administrator, whose password is generated here and kept in Key
// Vault (see README: limitations).
import * as dbformysql from '@pulumi/azure-native/dbformysql/index.js';
import * as privatedns from '@pulumi/azure-native/privatedns/index.js';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import type { DatabaseConfig } from './config.js';
import type { Placement } from './context.js';

export interface DatabaseArgs {
  env: string;
  config: DatabaseConfig;
  vnetId: pulumi.Input<string>;
  subnetId: pulumi.Input<string>;
}

function highAvailability(config: DatabaseConfig) {
  return config.highAvailability
    ? { mode: 'ZoneRedundant', standbyAvailabilityZone: '2' }
    : { mode: 'Disabled' };
}

export class Database extends pulumi.ComponentResource {
  readonly host: pulumi.Output<string>;
  readonly name: string;
  readonly user: string;
  readonly password: pulumi.Output<string>;

  constructor(
    name: string,
    place: Placement,
    args: DatabaseArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('polling:infra:Database', name, {}, opts);
    const { config } = args;
    const child = { parent: this };
    const rg = place.resourceGroupName;

    const zone = new privatedns.PrivateZone(
      'dns',
      {
        resourceGroupName: rg,
        location: 'global',
        privateZoneName: `polling-${args.env}.private.mysql.database.azure.com`,
        tags: place.tags,
      },
      child,
    );
    const link = new privatedns.VirtualNetworkLink(
      'dns-link',
      {
        resourceGroupName: rg,
        location: 'global',
        privateZoneName: zone.name,
        registrationEnabled: false,
        virtualNetwork: { id: args.vnetId },
        tags: place.tags,
      },
      child,
    );
    const password = new random.RandomPassword(
      'db-password',
      { length: 40, special: false },
      child,
    );

    const server = new dbformysql.Server(
      'mysql',
      {
        resourceGroupName: rg,
        location: place.location,
        tags: place.tags,
        version: config.version,
        sku: { name: config.sku, tier: config.tier },
        administratorLogin: config.user,
        administratorLoginPassword: password.result,
        availabilityZone: config.highAvailability ? '1' : undefined,
        highAvailability: highAvailability(config),
        storage: { storageSizeGB: config.storageGb, autoGrow: 'Enabled' },
        backup: {
          backupRetentionDays: config.backupDays,
          geoRedundantBackup: config.geoBackup ? 'Enabled' : 'Disabled',
        },
        network: {
          delegatedSubnetResourceId: args.subnetId,
          privateDnsZoneResourceId: zone.id,
          publicNetworkAccess: 'Disabled',
        },
      },
      { parent: this, dependsOn: [link] },
    );
    // ON is Azure's default too; stating it keeps a portal click from undoing it.
    const tls = new dbformysql.Configuration(
      'require-tls',
      {
        resourceGroupName: rg,
        serverName: server.name,
        configurationName: 'require_secure_transport',
        value: 'ON',
        source: 'user-override',
      },
      child,
    );
    const database = new dbformysql.Database(
      'app',
      {
        resourceGroupName: rg,
        serverName: server.name,
        databaseName: config.name,
        charset: 'utf8mb4',
        collation: 'utf8mb4_0900_ai_ci',
      },
      child,
    );

    // The host carries the TLS setting and the database as dependencies, so a
    // VM that is given it boots only once both exist.
    this.host = pulumi
      .all([server.fullyQualifiedDomainName, tls.id, database.id])
      .apply(([host]) => host);
    this.name = config.name;
    this.user = config.user;
    this.password = password.result;
    this.registerOutputs({ host: this.host });
  }
}
