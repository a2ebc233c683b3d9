import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, check, type StackConfig } from '../src/config.js';
import { checkedSha256 } from '../src/release.js';

function release(content = 'tarball bytes', recorded?: string): string {
  const file = join(
    mkdtempSync(join(tmpdir(), 'polling-config-')),
    'polling-app-1.0.0.tgz',
  );
  writeFileSync(file, content);
  const sha = recorded ?? createHash('sha256').update(content).digest('hex');
  writeFileSync(`${file}.sha256`, `${sha}  polling-app-1.0.0.tgz\n`);
  return file;
}

function settings(change: (c: StackConfig) => void = () => {}): StackConfig {
  const config: StackConfig = {
    env: 'unit',
    location: 'swedencentral',
    scaled: true,
    vmSize: 'Standard_B2als_v2',
    maxInstances: 4,
    adminUsername: 'azureops',
    sshPublicKey: 'ssh-ed25519 AAAA test',
    dnsLabel: 'polling-unit',
    cidr: { vnet: '10.42.0.0/16', app: '10.42.1.0/24', db: '10.42.2.0/24' },
    db: {
      sku: 'Standard_D2ads_v5',
      tier: 'GeneralPurpose',
      version: '8.0.21',
      storageGb: 20,
      backupDays: 7,
      geoBackup: false,
      highAvailability: true,
      name: 'polling',
      user: 'polling',
    },
    keyVaultPurgeProtection: false,
    nodeMajor: 22,
    releaseFile: release(),
  };
  change(config);
  return config;
}

describe('stack settings are checked before anything is declared', () => {
  it('accepts a consistent scaled configuration', () => {
    assert.doesNotThrow(() => check(settings()));
  });

  it('refuses high availability on the burstable tier', () => {
    const config = settings((c) => {
      c.db.tier = 'Burstable';
    });
    assert.throws(() => check(config), /needs dbTier GeneralPurpose, not Burstable/);
    assert.throws(() => check(config), ConfigError);
  });

  it('refuses a scaled stack whose database is not highly available', () => {
    const config = settings((c) => {
      c.db.highAvailability = false;
    });
    assert.throws(() => check(config), /scaled: true needs dbHighAvailability/);
  });

  it('refuses an autoscale maximum below two instances', () => {
    assert.throws(
      () => check(settings((c) => (c.maxInstances = 1))),
      /maxInstances is 1/,
    );
  });

  it('refuses less than a week of backups', () => {
    assert.throws(
      () => check(settings((c) => (c.db.backupDays = 3))),
      /dbBackupDays is 3/,
    );
  });

  it('names the release script when the release is missing', () => {
    const config = settings(
      (c) => (c.releaseFile = '/nonexistent/polling-app-1.0.0.tgz'),
    );
    assert.throws(() => check(config), /run scripts\/release\.sh/);
  });
});

describe('the release checksum', () => {
  it('is the sha256 of the tarball when the .sha256 file agrees', () => {
    const file = release('abc');
    assert.equal(checkedSha256(file), createHash('sha256').update('abc').digest('hex'));
  });

  it('refuses a tarball whose .sha256 file disagrees', () => {
    const file = release('abc', 'f'.repeat(64));
    assert.throws(() => checkedSha256(file), /but its \.sha256 says f{64}/);
  });
});
