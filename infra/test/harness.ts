// Runs the Pulumi program for one stack's settings against Pulumi's mocks and
// records every resource it declares. The cloud is the one thing mocked: the
// config reader, the components and the cloud-config generator are the real
// ones. One stack per process: Pulumi's runtime state is global.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { load } from 'js-yaml';

export const SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';
export const TENANT = '00000000-0000-0000-0000-000000000002';
const INFRA = join(import.meta.dirname, '..');

/** Recorded inputs are JSON of any shape, and tests reach into them freely. */
// biome-ignore lint/suspicious/noExplicitAny: the one untyped door, used by tests only
export type Json = any;

export interface Recorded {
  type: string;
  name: string;
  id: string;
  /** Inputs with secrets unwrapped. */
  inputs: Record<string, Json>;
  /** Inputs as the engine would get them, secrets wrapped. */
  raw: Record<string, Json>;
}

// How Pulumi's wire format marks a secret value.
const SECRET_SIG = '4dabf18193072939515e22adb298388d';

export function isSecret(value: unknown): boolean {
  return typeof value === 'object' && value !== null && SECRET_SIG in value;
}

function unwrap(value: Json): Json {
  if (isSecret(value)) return unwrap(value.value);
  if (Array.isArray(value)) return value.map(unwrap);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
}

export interface StackRun {
  resources: Recorded[];
  outputs: Record<string, unknown>;
  /** Every value the mocked random provider generated. */
  generated: string[];
}

// Resources whose Azure name is an input rather than generated.
const NAME_INPUT: Record<string, string> = {
  'azure-native:resources:ResourceGroup': 'resourceGroupName',
  'azure-native:network:LoadBalancer': 'loadBalancerName',
  'azure-native:privatedns:PrivateZone': 'privateZoneName',
  'azure-native:keyvault:Secret': 'secretName',
  'azure-native:storage:BlobContainer': 'containerName',
  'azure-native:storage:Blob': 'blobName',
  'azure-native:dbformysql:Database': 'databaseName',
  'azure-native:dbformysql:Configuration': 'configurationName',
};

function alphanumeric(length: number): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(length), (b) => chars[b % chars.length]).join('');
}

function computed(
  type: string,
  name: string,
  inputs: Record<string, Json>,
  run: StackRun,
) {
  switch (type) {
    case 'random:index/randomPassword:RandomPassword': {
      const result = alphanumeric(inputs.length);
      run.generated.push(result);
      return { result };
    }
    case 'azure-native:managedidentity:UserAssignedIdentity':
      return { principalId: `principal-of-${name}`, clientId: `client-of-${name}` };
    case 'azure-native:network:PublicIPAddress': {
      const label = inputs.dnsSettings?.domainNameLabel;
      const fqdn = label && `${label}.${inputs.location}.cloudapp.azure.com`;
      return { dnsSettings: { ...inputs.dnsSettings, fqdn } };
    }
    case 'azure-native:dbformysql:Server':
      return { fullyQualifiedDomainName: `${name}.mysql.database.azure.com` };
    case 'azure-native:storage:Blob':
      return {
        url: `https://${inputs.accountName}.blob.core.windows.net/${inputs.containerName}/${name}`,
      };
    default:
      return {};
  }
}

function mocks(run: StackRun): pulumi.runtime.Mocks {
  return {
    newResource(args) {
      const inputs = unwrap(args.inputs);
      const key = NAME_INPUT[args.type];
      const name = (key && inputs[key]) || args.name;
      const id = `/mock/${args.type}/${args.name}`;
      if (args.custom !== false) {
        run.resources.push({ type: args.type, name, id, inputs, raw: args.inputs });
      }
      const state = { ...args.inputs, name, ...computed(args.type, name, inputs, run) };
      return { id, state };
    },
    call(args) {
      if (args.token === 'azure-native:authorization:getClientConfig') {
        return {
          subscriptionId: SUBSCRIPTION,
          tenantId: TENANT,
          clientId: 'c',
          objectId: 'o',
        };
      }
      throw new Error(`unexpected call ${args.token}`);
    },
  };
}

/** The stack file's settings, plus what an operator sets by hand. */
export function stackSettings(stack: string): Record<string, string> {
  const file = readFileSync(join(INFRA, `Pulumi.${stack}.yaml`), 'utf8');
  const { config } = load(file) as { config: Record<string, unknown> };
  const dir = mkdtempSync(join(tmpdir(), 'polling-infra-'));
  const release = join(dir, 'polling-app-9.9.9.tgz');
  const bytes = randomBytes(512);
  writeFileSync(release, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(`${release}.sha256`, `${sha256}  polling-app-9.9.9.tgz\n`);
  return {
    ...Object.fromEntries(Object.entries(config).map(([k, v]) => [k, String(v)])),
    'polling-app:sshPublicKey':
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockKeyForTestsOnly test',
    'polling-app:releaseFile': release,
  };
}

async function settle(value: unknown): Promise<unknown> {
  if (!pulumi.Output.isInstance(value)) return value;
  return new Promise((resolve) => value.apply(resolve));
}

export async function runStack(
  stack: string,
  settings = stackSettings(stack),
): Promise<StackRun> {
  const run: StackRun = { resources: [], outputs: {}, generated: [] };
  await pulumi.runtime.setMocks(mocks(run), 'polling-app', stack, false);
  pulumi.runtime.setAllConfig(settings);

  const { readConfig } = await import('../src/config.js');
  const { createStack } = await import('../src/stack.js');
  const outputs = createStack(readConfig());
  for (const [key, value] of Object.entries(outputs))
    run.outputs[key] = await settle(value);
  await pulumi.runtime.disconnect();
  return run;
}
