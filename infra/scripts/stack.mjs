#!/usr/bin/env node
// Preview, deploy, smoke-test or destroy one environment:
//   node scripts/stack.mjs preview|deploy|smoke|destroy STACK
// (npm run preview -- test, and so on). Needs the Pulumi CLI, logged in to a
// backend, and an Azure login (az login, or ARM_* variables); without them it
// stops with one line saying which is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const INFRA = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = join(INFRA, '..');
const READY_WAIT_MS = 20 * 60_000;

class StackError extends Error {}

function quiet(command, args) {
  const result = spawnSync(command, args, { cwd: INFRA, encoding: 'utf8' });
  return { ok: result.status === 0, out: (result.stdout ?? '').trim() };
}

function run(command, args, cwd = INFRA) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new StackError(
      `${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`,
    );
  }
}

function armLogin() {
  const env = process.env;
  const credential = env.ARM_CLIENT_SECRET || env.ARM_USE_OIDC || env.ARM_USE_MSI;
  return Boolean(
    env.ARM_CLIENT_ID && env.ARM_TENANT_ID && env.ARM_SUBSCRIPTION_ID && credential,
  );
}

function checkTools(stack) {
  if (!quiet('pulumi', ['version']).ok) {
    throw new StackError(
      'the Pulumi CLI is not installed or not on PATH (see infra/README.md)',
    );
  }
  if (!quiet('pulumi', ['whoami']).ok) {
    throw new StackError(
      'the Pulumi CLI is not logged in: run `pulumi login` (or --local)',
    );
  }
  if (!armLogin() && !quiet('az', ['account', 'show']).ok) {
    throw new StackError(
      'no Azure login: run `az login`, or set ARM_CLIENT_ID, ARM_TENANT_ID, ARM_SUBSCRIPTION_ID and a credential',
    );
  }
  if (!existsSync(join(INFRA, `Pulumi.${stack}.yaml`))) {
    throw new StackError(`no stack settings file infra/Pulumi.${stack}.yaml`);
  }
}

function selectStack(stack) {
  run('pulumi', ['stack', 'select', '--create', stack]);
  if (!quiet('pulumi', ['config', 'get', 'sshPublicKey', '--stack', stack]).ok) {
    throw new StackError(
      `stack ${stack} has no sshPublicKey: pulumi config set sshPublicKey "$(cat ~/.ssh/id_ed25519.pub)" --stack ${stack}`,
    );
  }
}

function output(stack, name) {
  const { ok, out } = quiet('pulumi', ['stack', 'output', name, '--stack', stack]);
  if (!ok || !out)
    throw new StackError(`stack ${stack} has no output ${name}: deploy it first`);
  return out;
}

// A new VM installs Node and the release before it answers; wait for that.
async function waitReady(url, path) {
  const deadline = Date.now() + READY_WAIT_MS;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(new URL(path, url), { signal: AbortSignal.timeout(5000) });
      if (res.status === 200) return;
    } catch {
      // not answering yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10_000));
  }
  throw new StackError(
    `${url} did not become ready within ${READY_WAIT_MS / 60_000} minutes`,
  );
}

async function smoke(stack) {
  const url = output(stack, 'url');
  await waitReady(url, output(stack, 'healthPath'));
  run('node', [join(ROOT, 'scripts', 'smoke.mjs'), url]);
  console.log(`stack ${stack} is up at ${url}`);
}

const commands = {
  async preview(stack) {
    run('npm', ['run', 'build']);
    run('pulumi', ['preview', '--stack', stack, '--diff']);
  },
  async deploy(stack) {
    run(join(ROOT, 'scripts', 'release.sh'), [], ROOT);
    run('npm', ['run', 'build']);
    run('pulumi', ['up', '--stack', stack, '--yes']);
    await smoke(stack);
  },
  smoke,
  async destroy(stack) {
    run('pulumi', ['destroy', '--stack', stack, '--yes']);
  },
};

async function main([command, stack]) {
  if (!commands[command] || !stack) {
    throw new StackError(
      'usage: node scripts/stack.mjs preview|deploy|smoke|destroy STACK',
    );
  }
  checkTools(stack);
  selectStack(stack);
  await commands[command](stack);
}

try {
  await main(process.argv.slice(2));
} catch (err) {
  console.error(`stack: ${err instanceof StackError ? err.message : err.stack}`);
  process.exitCode = 1;
}
