// What must hold for every stack, whatever its settings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { APP_PORT, HEALTH_PATH } from '../src/app.js';
import { MYSQL_DELEGATION } from '../src/network.js';
import { KEY_VAULT_SECRETS_USER, STORAGE_BLOB_DATA_READER } from '../src/roles.js';
import { isSecret, type Json, runStack, type StackRun } from './harness.js';
import {
  all,
  cloudConfig,
  covers,
  customData,
  envVars,
  fromInternet,
  one,
  writtenFile,
} from './inspect.js';

const DEPLOY = join(import.meta.dirname, '..', '..', 'deploy');

function inboundAllows(run: StackRun) {
  const inline = all(run, 'network:NetworkSecurityGroup').flatMap(
    (n) => n.inputs.securityRules ?? [],
  );
  const separate = all(run, 'network:SecurityRule').map((r) => r.inputs);
  return [...inline, ...separate].filter(
    (r) => r.direction === 'Inbound' && r.access === 'Allow',
  );
}

function ports(rule: Record<string, Json>): string[] {
  return rule.destinationPortRanges ?? [rule.destinationPortRange];
}

function sources(rule: Record<string, Json>): string[] {
  return rule.sourceAddressPrefixes ?? [rule.sourceAddressPrefix];
}

export function describePolicies(stack: string, runStackOnce: () => Promise<StackRun>) {
  describe(`every stack's policies hold for the ${stack} stack`, () => {
    let run: StackRun;
    before(async () => {
      run = await runStackOnce();
    });

    it('admits nothing from the internet but the app port', () => {
      const open = inboundAllows(run).filter((r) => sources(r).some(fromInternet));
      assert.ok(open.length > 0, 'the app port must be reachable');
      for (const rule of open)
        assert.deepEqual(ports(rule), [String(APP_PORT)], rule.name);
    });

    it('opens port 22 to nobody, by rule or by NAT', () => {
      for (const rule of inboundAllows(run)) {
        assert.ok(!ports(rule).some((p) => covers(p, 22)), `${rule.name} opens 22`);
      }
      for (const lb of all(run, 'network:LoadBalancer')) {
        assert.equal(lb.inputs.inboundNatRules, undefined);
        assert.equal(lb.inputs.inboundNatPools, undefined);
      }
    });

    it('keeps the database off the internet, in the delegated subnet, with TLS required', () => {
      const server = one(run, 'dbformysql:Server');
      const delegated = all(run, 'network:Subnet').filter((s) =>
        s.inputs.delegations?.some((d: Json) => d.serviceName === MYSQL_DELEGATION),
      );
      assert.equal(delegated.length, 1);
      assert.equal(server.inputs.network.publicNetworkAccess, 'Disabled');
      assert.equal(server.inputs.network.delegatedSubnetResourceId, delegated[0]?.id);
      assert.equal(
        server.inputs.network.privateDnsZoneResourceId,
        one(run, 'privatedns:PrivateZone').id,
      );
      assert.equal(all(run, 'dbformysql:FirewallRule').length, 0);

      const tls = one(run, 'dbformysql:Configuration');
      assert.equal(tls.name, 'require_secure_transport');
      assert.equal(tls.inputs.value, 'ON');
      assert.equal(tls.inputs.serverName, server.name);
    });

    it('resolves the database through a private zone linked to the network', () => {
      const link = one(run, 'privatedns:VirtualNetworkLink');
      assert.equal(link.inputs.virtualNetwork.id, one(run, 'network:VirtualNetwork').id);
      assert.equal(link.inputs.privateZoneName, one(run, 'privatedns:PrivateZone').name);
    });

    it('keeps database backups for at least a week and creates the app database', () => {
      const server = one(run, 'dbformysql:Server');
      assert.ok(server.inputs.backup.backupRetentionDays >= 7);
      const database = one(run, 'dbformysql:Database');
      assert.equal(database.inputs.serverName, server.name);
      assert.equal(database.name, run.outputs.dbName);
    });

    it('lets no VM log in with a password', () => {
      const profiles = [
        ...all(run, 'compute:VirtualMachine').map((r) => r.inputs.osProfile),
        ...all(run, 'compute:VirtualMachineScaleSet').map(
          (r) => r.inputs.virtualMachineProfile.osProfile,
        ),
      ];
      assert.equal(profiles.length, 1);
      for (const profile of profiles) {
        assert.equal(profile.linuxConfiguration.disablePasswordAuthentication, true);
        assert.equal(profile.adminPassword, undefined);
        assert.equal(profile.linuxConfiguration.ssh.publicKeys.length, 1);
      }
    });

    it('boots Ubuntu 24.04 LTS on a current VM size', () => {
      const vm = [
        ...all(run, 'compute:VirtualMachine'),
        ...all(run, 'compute:VirtualMachineScaleSet'),
      ];
      for (const r of vm) {
        const profile = r.inputs.virtualMachineProfile ?? r.inputs;
        assert.equal(profile.storageProfile.imageReference.offer, 'ubuntu-24_04-lts');
        const size = r.inputs.hardwareProfile?.vmSize ?? r.inputs.sku.name;
        assert.doesNotMatch(size, /^Standard_B\d+[a-z]*$/, 'B-series v1 is retired');
      }
    });

    it('puts no secret in custom data', () => {
      const texts = customData(run);
      assert.ok(run.generated.length >= 2);
      for (const text of texts) {
        for (const value of run.generated) {
          assert.ok(!text.includes(value), 'a generated secret is in custom data');
        }
        assert.doesNotMatch(text, /(PASS|PASSWORD|TOKEN|SECRET|DATABASE_URL)=/);
        const config = cloudConfig(text);
        for (const file of config.write_files.filter((f) =>
          f.path.startsWith('/etc/polling-app/'),
        )) {
          assert.equal(file.permissions, '0600', file.path);
          for (const key of Object.keys(envVars(file.content))) {
            assert.doesNotMatch(
              key,
              /PASS|SECRET|TOKEN|PRIVATE/,
              `${file.path} sets ${key}`,
            );
          }
        }
      }
    });

    it('configures the app from provisioning outputs, with TLS to the database', () => {
      const config = cloudConfig(customData(run)[0] as string);
      const app = envVars(writtenFile(config, '/etc/polling-app/app.env'));
      assert.equal(app.DB_SSL, 'true');
      assert.equal(app.DB_TYPE, 'mysql');
      assert.equal(app.DB_HOST, run.outputs.dbHost);
      assert.equal(app.DB_NAME, run.outputs.dbName);
      assert.equal(app.DB_USER, run.outputs.dbUser);
      assert.equal(app.HTTP_PORT, String(APP_PORT));
      const azure = envVars(writtenFile(config, '/etc/polling-app/azure.env'));
      assert.equal(azure.KEY_VAULT_NAME, run.outputs.keyVaultName);
      assert.equal(azure.RELEASE_URL, run.outputs.releaseUrl);
      assert.equal(azure.RELEASE_SHA256, run.outputs.releaseSha256);
      assert.equal(azure.AZURE_CLIENT_ID, run.outputs.identityClientId);
    });

    it('installs the systemd unit from deploy/ byte for byte', () => {
      const config = cloudConfig(customData(run)[0] as string);
      const unit = writtenFile(config, '/etc/systemd/system/polling-app.service');
      assert.equal(unit, readFileSync(join(DEPLOY, 'polling-app.service'), 'utf8'));
    });

    it('lets the app identity read exactly the secrets the VM asks for', () => {
      const config = cloudConfig(customData(run)[0] as string);
      const map =
        envVars(writtenFile(config, '/etc/polling-app/azure.env')).KEY_VAULT_MAP ?? '';
      const wanted = map.split(',').map((pair) => pair.split(':')[1]);
      const secrets = all(run, 'keyvault:Secret');
      const wantedIds = wanted
        .map((name) => secrets.find((s) => s.name === name)?.id)
        .sort();
      const principal = one(run, 'managedidentity:UserAssignedIdentity').name;

      const readers = all(run, 'authorization:RoleAssignment').filter((r) =>
        r.inputs.roleDefinitionId.endsWith(`/${KEY_VAULT_SECRETS_USER}`),
      );
      assert.ok(
        readers.every((r) => r.inputs.principalId === `principal-of-${principal}`),
      );
      assert.deepEqual(readers.map((r) => r.inputs.scope).sort(), wantedIds);
      assert.ok(wantedIds.every(Boolean), 'the VM asks for a secret nobody stores');
    });

    it('keeps secrets in an RBAC-mode vault, generated by the program', () => {
      const vault = one(run, 'keyvault:Vault');
      assert.equal(vault.inputs.properties.enableRbacAuthorization, true);
      for (const secret of all(run, 'keyvault:Secret')) {
        assert.ok(run.generated.includes(secret.inputs.properties.value), secret.name);
        assert.ok(isSecret(secret.raw.properties), `${secret.name} is not marked secret`);
      }
    });

    it('lets the app identity read the release container and nothing wider', () => {
      const readers = all(run, 'authorization:RoleAssignment').filter((r) =>
        r.inputs.roleDefinitionId.endsWith(`/${STORAGE_BLOB_DATA_READER}`),
      );
      assert.deepEqual(
        readers.map((r) => r.inputs.scope),
        [one(run, 'storage:BlobContainer').id],
      );
      assert.equal(one(run, 'storage:BlobContainer').inputs.publicAccess, 'None');
      assert.equal(
        one(run, 'storage:StorageAccount').inputs.allowBlobPublicAccess,
        false,
      );
    });

    it('exports the URL and the health path, and no secret', () => {
      assert.match(String(run.outputs.url), /^http:\/\/[a-z0-9.-]+\/$/);
      assert.equal(run.outputs.healthPath, HEALTH_PATH);
      const text = JSON.stringify(run.outputs);
      for (const value of run.generated) assert.ok(!text.includes(value));
    });
  });
}

export { runStack };
