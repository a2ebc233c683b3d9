// Readers over a recorded stack: find resources, decode the cloud-config.
import { load } from 'js-yaml';
import type { Recorded, StackRun } from './harness.js';

export function all(run: StackRun, type: string): Recorded[] {
  return run.resources.filter((r) => r.type === `azure-native:${type}`);
}

export function one(run: StackRun, type: string): Recorded {
  const found = all(run, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as Recorded;
}

/** Custom data of every VM and scale set, decoded. */
export function customData(run: StackRun): string[] {
  const vms = all(run, 'compute:VirtualMachine').map((r) => r.inputs.osProfile);
  const sets = all(run, 'compute:VirtualMachineScaleSet').map(
    (r) => r.inputs.virtualMachineProfile.osProfile,
  );
  return [...vms, ...sets].map((p) =>
    Buffer.from(p.customData, 'base64').toString('utf8'),
  );
}

export interface CloudConfig {
  write_files: { path: string; content: string; permissions: string }[];
  runcmd: string[][];
}

export function cloudConfig(text: string): CloudConfig {
  if (!text.startsWith('#cloud-config\n'))
    throw new Error('custom data is not a cloud-config');
  return load(text) as CloudConfig;
}

export function writtenFile(config: CloudConfig, path: string): string {
  const file = config.write_files.find((f) => f.path === path);
  if (!file) throw new Error(`cloud-config writes no ${path}`);
  return file.content;
}

export function envVars(content: string): Record<string, string> {
  const lines = content.split('\n').filter((l) => l && !l.startsWith('#'));
  return Object.fromEntries(
    lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/** Does a rule's port field ('*', '80', '1000-2000') cover the port? */
export function covers(range: string, port: number): boolean {
  if (range === '*') return true;
  const [low, high = low] = range.split('-').map(Number);
  return port >= (low as number) && port <= (high as number);
}

const PRIVATE = [/^10\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./];

/** Could this source prefix be an address on the internet? */
export function fromInternet(prefix: string): boolean {
  if (['VirtualNetwork', 'AzureLoadBalancer'].includes(prefix)) return false;
  return !PRIVATE.some((re) => re.test(prefix));
}
