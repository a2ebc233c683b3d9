// Every stack setting, read and checked once. Stacks differ only here
// (Pulumi.<stack>.yaml); the program below never asks which stack it is in
// except to name things.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { repoRoot } from './paths.js';

/** Autoscale never goes below two instances: one per zone at least twice over. */
export const MIN_INSTANCES = 2;

export interface DatabaseConfig {
  sku: string;
  tier: string;
  version: string;
  storageGb: number;
  backupDays: number;
  geoBackup: boolean;
  highAvailability: boolean;
  name: string;
  user: string;
}

export interface StackConfig {
  env: string;
  location: string;
  scaled: boolean;
  vmSize: string;
  maxInstances: number;
  adminUsername: string;
  sshPublicKey: string;
  dnsLabel: string;
  cidr: { vnet: string; app: string; db: string };
  db: DatabaseConfig;
  keyVaultPurgeProtection: boolean;
  nodeMajor: number;
  releaseFile: string;
}

export class ConfigError extends Error {
  readonly code = 'ERR_STACK_CONFIG';
}

function defaultReleaseFile(): string {
  const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8'));
  return join(repoRoot(), 'release', `polling-app-${pkg.version}.tgz`);
}

function readDatabase(cfg: pulumi.Config): DatabaseConfig {
  return {
    sku: cfg.require('dbSku'),
    tier: cfg.require('dbTier'),
    version: cfg.get('dbVersion') ?? '8.0.21',
    storageGb: cfg.getNumber('dbStorageGb') ?? 20,
    backupDays: cfg.getNumber('dbBackupDays') ?? 7,
    geoBackup: cfg.getBoolean('dbGeoBackup') ?? false,
    highAvailability: cfg.getBoolean('dbHighAvailability') ?? false,
    name: cfg.get('dbName') ?? 'polling',
    user: cfg.get('dbUser') ?? 'polling',
  };
}

export function check(config: StackConfig): StackConfig {
  const { db } = config;
  if (db.highAvailability && db.tier === 'Burstable') {
    throw new ConfigError(
      'dbHighAvailability needs dbTier GeneralPurpose, not Burstable',
    );
  }
  if (config.scaled && !db.highAvailability) {
    throw new ConfigError('scaled: true needs dbHighAvailability: true');
  }
  if (config.maxInstances < MIN_INSTANCES) {
    throw new ConfigError(
      `maxInstances is ${config.maxInstances}, below ${MIN_INSTANCES}`,
    );
  }
  if (db.backupDays < 7) {
    throw new ConfigError(`dbBackupDays is ${db.backupDays}; keep at least 7`);
  }
  if (!existsSync(config.releaseFile) || !existsSync(`${config.releaseFile}.sha256`)) {
    throw new ConfigError(
      `release ${config.releaseFile} (and .sha256) not found: run scripts/release.sh`,
    );
  }
  return config;
}

export function readConfig(): StackConfig {
  const cfg = new pulumi.Config();
  const azure = new pulumi.Config('azure-native');
  return check({
    env: pulumi.getStack(),
    location: azure.require('location'),
    scaled: cfg.getBoolean('scaled') ?? false,
    vmSize: cfg.require('vmSize'),
    maxInstances: cfg.getNumber('maxInstances') ?? MIN_INSTANCES,
    adminUsername: cfg.get('adminUsername') ?? 'azureops',
    sshPublicKey: cfg.require('sshPublicKey'),
    dnsLabel: cfg.require('dnsLabel'),
    cidr: {
      vnet: cfg.get('vnetCidr') ?? '10.42.0.0/16',
      app: cfg.get('appSubnetCidr') ?? '10.42.1.0/24',
      db: cfg.get('dbSubnetCidr') ?? '10.42.2.0/24',
    },
    db: readDatabase(cfg),
    keyVaultPurgeProtection: cfg.getBoolean('keyVaultPurgeProtection') ?? false,
    nodeMajor: cfg.getNumber('nodeMajor') ?? 22,
    releaseFile: cfg.get('releaseFile') ?? defaultReleaseFile(),
  });
}
