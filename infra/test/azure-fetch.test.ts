// deploy/azure/azure-fetch.mjs against a stand-in for Azure's instance
// metadata, Key Vault and Blob Storage endpoints on loopback: the one place
// these tests replace the cloud. The script itself runs as on a VM, in a
// child process with the settings cloud-init writes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

const SCRIPT = join(
  import.meta.dirname,
  '..',
  '..',
  'deploy',
  'azure',
  'azure-fetch.mjs',
);
const CLIENT_ID = 'client-1234';
const SECRETS: Record<string, string> = {
  'db-password': 'Pq7nW2xZ0aLk9sRt4Vb1',
  'admin-token': 'tok-Zz81_yy.0',
};
const TARBALL = Buffer.from('pretend this is a gzip');

interface FakeAzure {
  server: Server;
  base: string;
  seen: IncomingMessage[];
  /** Key Vault answers 403 this many times first, as before RBAC propagates. */
  deniesLeft: number;
}

function tokenFor(req: IncomingMessage): string {
  const url = new URL(req.url ?? '', 'http://x');
  return `token-for-${url.searchParams.get('resource')}`;
}

function handle(fake: FakeAzure, req: IncomingMessage) {
  const url = new URL(req.url ?? '', 'http://x');
  if (url.pathname === '/metadata/identity/oauth2/token') {
    const ok =
      req.headers.metadata === 'true' && url.searchParams.get('client_id') === CLIENT_ID;
    return ok ? [200, JSON.stringify({ access_token: tokenFor(req) })] : [400, '{}'];
  }
  const secret = url.pathname.match(/^\/secrets\/([a-z-]+)$/)?.[1];
  if (secret) {
    if (req.headers.authorization !== 'Bearer token-for-https://vault.azure.net')
      return [401, '{}'];
    if (fake.deniesLeft-- > 0) return [403, '{"error":{"code":"Forbidden"}}'];
    const value = SECRETS[secret];
    return value ? [200, JSON.stringify({ value, id: secret })] : [404, '{}'];
  }
  if (url.pathname === '/releases/polling-app-1.0.0.tgz') {
    const auth =
      req.headers.authorization === 'Bearer token-for-https://storage.azure.com/';
    return auth && req.headers['x-ms-version'] ? [200, TARBALL] : [403, ''];
  }
  return [404, ''];
}

async function startFake(): Promise<FakeAzure> {
  const fake = { seen: [], deniesLeft: 0 } as unknown as FakeAzure;
  fake.server = createServer((req, res) => {
    fake.seen.push(req);
    const [status, body] = handle(fake, req);
    res.writeHead(status as number).end(body);
  });
  await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
  fake.base = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  return fake;
}

async function runFetch(
  fake: FakeAzure,
  args: string[],
  env: Record<string, string> = {},
) {
  const settings = {
    PATH: process.env.PATH ?? '',
    IMDS_ENDPOINT: fake.base,
    KEY_VAULT_URL: fake.base,
    AZURE_CLIENT_ID: CLIENT_ID,
    KEY_VAULT_MAP: 'DB_PASS:db-password,ADMIN_TOKEN:admin-token',
    RELEASE_URL: `${fake.base}/releases/polling-app-1.0.0.tgz`,
    RELEASE_SHA256: createHash('sha256').update(TARBALL).digest('hex'),
    RETRY_ATTEMPTS: '4',
    RETRY_DELAY_MS: '20',
    ...env,
  };
  try {
    const { stderr } = await promisify(execFile)(process.execPath, [SCRIPT, ...args], {
      env: settings,
    });
    return { code: 0, stderr };
  } catch (err) {
    const failed = err as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe('azure-fetch.mjs on a VM', () => {
  let fake: FakeAzure;
  let dir: string;
  before(async () => {
    fake = await startFake();
    dir = mkdtempSync(join(tmpdir(), 'polling-fetch-'));
  });
  after(() => fake.server.close());

  it('writes the mapped secrets into a 0600 env file and logs none of them', async () => {
    const file = join(dir, 'secrets.env');
    const { code, stderr } = await runFetch(fake, ['secrets'], { SECRETS_FILE: file });
    assert.equal(code, 0, stderr);
    assert.equal(
      readFileSync(file, 'utf8'),
      `DB_PASS=${SECRETS['db-password']}\nADMIN_TOKEN=${SECRETS['admin-token']}\n`,
    );
    assert.equal(statSync(file).mode & 0o777, 0o600);
    for (const value of Object.values(SECRETS)) assert.ok(!stderr.includes(value));
  });

  it('asks the metadata endpoint for a token with its client id', async () => {
    const tokens = fake.seen.filter((r) => r.url?.startsWith('/metadata/'));
    assert.ok(tokens.length > 0);
    assert.ok(tokens.every((r) => r.headers.metadata === 'true'));
  });

  it('waits out Key Vault refusals while the role assignment propagates', async () => {
    fake.deniesLeft = 2;
    const file = join(dir, 'retried.env');
    const { code, stderr } = await runFetch(fake, ['secrets'], { SECRETS_FILE: file });
    assert.equal(code, 0, stderr);
    assert.match(stderr, /"status":403/);
  });

  it('gives up with a clear message when access never comes', async () => {
    fake.deniesLeft = 100;
    const { code, stderr } = await runFetch(fake, ['secrets'], {
      SECRETS_FILE: join(dir, 'x.env'),
    });
    fake.deniesLeft = 0;
    assert.equal(code, 1);
    assert.match(stderr, /did not succeed after 4 tries/);
  });

  it('refuses a secret that names no stored value', async () => {
    const env = {
      KEY_VAULT_MAP: 'DB_PASS:missing',
      RETRY_ATTEMPTS: '1',
      SECRETS_FILE: join(dir, 'm.env'),
    };
    const { code, stderr } = await runFetch(fake, ['secrets'], env);
    assert.equal(code, 1);
    assert.match(stderr, /secrets\/missing did not succeed/);
  });

  it('downloads the release with its identity and checks the sha256', async () => {
    const file = join(dir, 'polling-app-1.0.0.tgz');
    const { code, stderr } = await runFetch(fake, ['release', file]);
    assert.equal(code, 0, stderr);
    assert.deepEqual(readFileSync(file), TARBALL);
  });

  it('refuses a release whose sha256 differs and writes nothing', async () => {
    const file = join(dir, 'tampered.tgz');
    const { code, stderr } = await runFetch(fake, ['release', file], {
      RELEASE_SHA256: 'b'.repeat(64),
    });
    assert.equal(code, 1);
    assert.match(stderr, /ERR_CHECKSUM/);
    assert.throws(() => statSync(file), { code: 'ENOENT' });
  });
});
