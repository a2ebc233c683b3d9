import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type BootSettings,
  envFile,
  LIB_DIR,
  renderCloudConfig,
} from '../src/cloudInit.js';
import { cloudConfig, envVars, writtenFile } from './inspect.js';

const settings: BootSettings = {
  nodeMajor: 22,
  appEnv: { DB_HOST: 'db.example.internal', DB_SSL: 'true' },
  clientId: '11111111-2222-3333-4444-555555555555',
  keyVaultName: 'kv1234',
  secrets: { DB_PASS: 'db-password', ADMIN_TOKEN: 'admin-token' },
  releaseUrl: 'https://acct.blob.core.windows.net/releases/polling-app-1.0.0.tgz',
  releaseSha256: 'a'.repeat(64),
};

describe('the generated cloud-config', () => {
  it('is a cloud-config document that runs the boot script it writes', () => {
    const config = cloudConfig(renderCloudConfig(settings));
    assert.deepEqual(config.runcmd, [[`${LIB_DIR}/boot.sh`]]);
    const boot = config.write_files.find((f) => f.path === `${LIB_DIR}/boot.sh`);
    assert.equal(boot?.permissions, '0755');
    assert.match(boot?.content ?? '', /^#!\/usr\/bin\/env bash/);
  });

  it('maps each secret variable to its Key Vault secret by name only', () => {
    const config = cloudConfig(renderCloudConfig(settings));
    const azure = envVars(writtenFile(config, '/etc/polling-app/azure.env'));
    assert.equal(azure.KEY_VAULT_MAP, 'DB_PASS:db-password,ADMIN_TOKEN:admin-token');
    assert.equal(azure.RELEASE_SHA256, 'a'.repeat(64));
    assert.equal(azure.NODE_MAJOR, '22');
  });

  it('installs the Key Vault unit that runs before the app', () => {
    const config = cloudConfig(renderCloudConfig(settings));
    const unit = writtenFile(config, '/etc/systemd/system/polling-app-secrets.service');
    assert.match(unit, /^Before=polling-app\.service$/m);
    assert.match(unit, /^RequiredBy=polling-app\.service$/m);
  });
});

describe('env files in systemd syntax', () => {
  it('writes one KEY=value line per variable', () => {
    assert.equal(envFile({ A: '1', B: 'x.y:z' }), 'A=1\nB=x.y:z\n');
  });

  it('refuses values that systemd would read differently', () => {
    for (const value of ['two words', 'quo"te', 'new\nline', '$HOME', 'back\\slash']) {
      assert.throws(() => envFile({ A: value }), /needs quoting/, value);
    }
  });
});
