// The environment commands refuse to start, with one line saying why, when
// the Pulumi CLI or an Azure login is missing. Stand-in `pulumi` and `az`
// programs on PATH play the installed tools; nothing reaches a cloud.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const CLI = join(import.meta.dirname, '..', 'scripts', 'stack.mjs');

/** Tool name -> shell body of its stand-in. */
type Tools = Record<string, string>;
const WORKS = 'exit 0';

function toolDir(tools: Tools): string {
  const dir = mkdtempSync(join(tmpdir(), 'polling-tools-'));
  for (const [name, body] of Object.entries(tools)) {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

function stackCli(args: string[], tools: Tools, env: Record<string, string> = {}) {
  const PATH = `${toolDir(tools)}:/usr/bin:/bin`;
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { PATH, ...env },
  });
  return { code: result.status, lines: result.stderr.trim().split('\n') };
}

describe('the environment commands check their tools first', () => {
  it('names the missing Pulumi CLI in one line', () => {
    const { code, lines } = stackCli(['preview', 'test'], {});
    assert.equal(code, 1);
    assert.deepEqual(lines.length, 1);
    assert.match(lines[0] ?? '', /^stack: the Pulumi CLI is not installed/);
  });

  it('names a Pulumi CLI that is not logged in', () => {
    const pulumi = '[ "$1" = whoami ] && exit 255; exit 0';
    const { code, lines } = stackCli(['preview', 'test'], { pulumi, az: WORKS });
    assert.equal(code, 1);
    assert.deepEqual(lines, [
      'stack: the Pulumi CLI is not logged in: run `pulumi login` (or --local)',
    ]);
  });

  it('names the missing Azure login when az has no account and no ARM_* is set', () => {
    const { code, lines } = stackCli(['deploy', 'test'], { pulumi: WORKS, az: 'exit 1' });
    assert.equal(code, 1);
    assert.deepEqual(lines, [
      'stack: no Azure login: run `az login`, or set ARM_CLIENT_ID, ARM_TENANT_ID, ARM_SUBSCRIPTION_ID and a credential',
    ]);
  });

  it('accepts ARM_* variables in place of az and then checks the stack name', () => {
    const arm = {
      ARM_CLIENT_ID: 'c',
      ARM_TENANT_ID: 't',
      ARM_SUBSCRIPTION_ID: 's',
      ARM_CLIENT_SECRET: 'x',
    };
    const { code, lines } = stackCli(['destroy', 'staging'], { pulumi: WORKS }, arm);
    assert.equal(code, 1);
    assert.deepEqual(lines, ['stack: no stack settings file infra/Pulumi.staging.yaml']);
  });

  it('prints its usage for an unknown command', () => {
    const { code, lines } = stackCli(['launch', 'test'], {});
    assert.equal(code, 1);
    assert.match(lines[0] ?? '', /^stack: usage: /);
  });
});
