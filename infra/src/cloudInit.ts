// The cloud-config every VM boots with, built from files in deploy/ (so the
// unit a VM runs is byte for byte the one a by-hand install uses) and from
// provisioning outputs. Pure: no Pulumi here, so scripts/check-offline.sh can
// validate exactly what the program produces. Nothing secret goes in: the VM
// reads its secrets from Key Vault at every service start.
import { readFileSync } from 'node:fs';
import { dump } from 'js-yaml';
import { deployFile } from './paths.js';

export const LIB_DIR = '/usr/local/lib/polling-app';
export const CONFIG_DIR = '/etc/polling-app';

export interface BootSettings {
  nodeMajor: number;
  /** Non-secret app settings, written to /etc/polling-app/app.env. */
  appEnv: Record<string, string>;
  clientId: string;
  keyVaultName: string;
  /** Environment variable -> Key Vault secret name. */
  secrets: Record<string, string>;
  releaseUrl: string;
  releaseSha256: string;
}

interface WriteFile {
  path: string;
  content: string;
  owner: string;
  permissions: string;
}

/** KEY=value lines in systemd's EnvironmentFile= syntax; odd values are refused. */
export function envFile(vars: Record<string, string>): string {
  const lines = Object.entries(vars).map(([key, value]) => {
    if (!/^[A-Za-z0-9_.:,/@+=-]*$/.test(value)) {
      throw new Error(
        `value of ${key} needs quoting in an env file: ${JSON.stringify(value)}`,
      );
    }
    return `${key}=${value}`;
  });
  return `${lines.join('\n')}\n`;
}

function fromDeploy(path: string, source: string, permissions: string): WriteFile {
  const content = readFileSync(deployFile(source), 'utf8');
  return { path, content, owner: 'root:root', permissions };
}

function azureEnv(s: BootSettings): Record<string, string> {
  const map = Object.entries(s.secrets).map(
    ([variable, secret]) => `${variable}:${secret}`,
  );
  return {
    AZURE_CLIENT_ID: s.clientId,
    KEY_VAULT_NAME: s.keyVaultName,
    KEY_VAULT_MAP: map.join(','),
    RELEASE_URL: s.releaseUrl,
    RELEASE_SHA256: s.releaseSha256,
    NODE_MAJOR: String(s.nodeMajor),
  };
}

export function writeFiles(s: BootSettings): WriteFile[] {
  const config = (name: string, vars: Record<string, string>): WriteFile => ({
    path: `${CONFIG_DIR}/${name}`,
    content: envFile(vars),
    owner: 'root:root',
    permissions: '0600',
  });
  return [
    fromDeploy('/etc/systemd/system/polling-app.service', 'polling-app.service', '0644'),
    fromDeploy(
      '/etc/systemd/system/polling-app-secrets.service',
      'azure/polling-app-secrets.service',
      '0644',
    ),
    fromDeploy(`${LIB_DIR}/install-node.sh`, 'install-node.sh', '0755'),
    fromDeploy(`${LIB_DIR}/install-release.sh`, 'install-release.sh', '0755'),
    fromDeploy(`${LIB_DIR}/azure-fetch.mjs`, 'azure/azure-fetch.mjs', '0755'),
    fromDeploy(`${LIB_DIR}/boot.sh`, 'azure/boot.sh', '0755'),
    config('app.env', s.appEnv),
    config('azure.env', azureEnv(s)),
  ];
}

export function renderCloudConfig(s: BootSettings): string {
  const doc = {
    package_update: true,
    // build-essential and python3: node-gyp's fallback if better-sqlite3 has
    // no prebuilt binary for this Node.
    packages: ['ca-certificates', 'curl', 'gnupg', 'build-essential', 'python3'],
    ssh_pwauth: false,
    write_files: writeFiles(s),
    runcmd: [[`${LIB_DIR}/boot.sh`]],
  };
  return `#cloud-config\n${dump(doc, { lineWidth: -1, noRefs: true })}`;
}
