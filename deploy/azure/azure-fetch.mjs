#!/usr/bin/env node
// What an Azure VM of polling-app fetches with its managed identity, using
// only Node's built-ins (it runs before the release's node_modules exist):
//   azure-fetch.mjs release FILE   the release tarball from Blob Storage,
//                                  checked against RELEASE_SHA256
//   azure-fetch.mjs secrets        Key Vault secrets into SECRETS_FILE (0600)
// Settings come from /etc/polling-app/azure.env, written by cloud-init; none
// of them is a secret. IMDS_ENDPOINT and KEY_VAULT_URL exist for tests.
import { createHash } from 'node:crypto';
import { chmod, rename, writeFile } from 'node:fs/promises';

const env = process.env;
const imds = env.IMDS_ENDPOINT ?? 'http://169.254.169.254';
const attempts = Number(env.RETRY_ATTEMPTS ?? 30);
const delayMs = Number(env.RETRY_DELAY_MS ?? 10_000);
// A role assignment reaches Key Vault and Storage minutes after it is created,
// so 401/403/404 are retried as well as throttling and server errors.
const RETRIED = new Set([401, 403, 404, 408, 429, 500, 502, 503, 504]);
// systemd's EnvironmentFile= has quoting rules of its own; generated values
// never need them, and anything else is refused rather than half-parsed.
const SAFE_VALUE = /^[A-Za-z0-9._~+/=-]+$/;

function log(level, msg, fields = {}) {
  process.stderr.write(`${JSON.stringify({ level, ...fields, msg })}\n`);
}

function fail(code, message) {
  const err = new Error(message);
  err.code = code;
  throw err;
}

function required(name) {
  const value = env[name];
  if (!value)
    fail('ERR_CONFIG', `missing setting ${name} (see /etc/polling-app/azure.env)`);
  return value;
}

async function request(url, headers) {
  for (let attempt = 1; ; attempt++) {
    let status = 0;
    try {
      const res = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
      if (res.ok) return res;
      status = res.status;
      await res.body?.cancel();
      if (!RETRIED.has(status)) break;
    } catch (err) {
      log('warn', 'request failed', { url: url.split('?')[0], err: err.message });
    }
    if (attempt >= attempts) break;
    log('info', 'retrying', { url: url.split('?')[0], status, attempt });
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  fail('ERR_HTTP', `GET ${url.split('?')[0]} did not succeed after ${attempts} tries`);
}

async function token(resource) {
  const query = new URLSearchParams({
    'api-version': '2018-02-01',
    resource,
    client_id: required('AZURE_CLIENT_ID'),
  });
  const url = `${imds}/metadata/identity/oauth2/token?${query}`;
  const res = await request(url, { Metadata: 'true' });
  const body = await res.json();
  if (!body.access_token)
    fail('ERR_TOKEN', `IMDS returned no access_token for ${resource}`);
  return body.access_token;
}

async function fetchRelease(file) {
  if (!file) fail('ERR_USAGE', 'usage: azure-fetch.mjs release FILE');
  const url = required('RELEASE_URL');
  const expected = required('RELEASE_SHA256').toLowerCase();
  const bearer = await token('https://storage.azure.com/');
  // OAuth on Blob Storage needs an explicit service version.
  const headers = { Authorization: `Bearer ${bearer}`, 'x-ms-version': '2021-08-06' };
  const bytes = Buffer.from(await (await request(url, headers)).arrayBuffer());

  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== expected) {
    fail('ERR_CHECKSUM', `release sha256 is ${actual}, expected ${expected}`);
  }
  await writeFile(file, bytes, { mode: 0o644 });
  log('info', 'release fetched', { file, sha256: actual, bytes: bytes.length });
}

function parseMap(text) {
  return text.split(',').map((pair) => {
    const [variable, secret] = pair.split(':');
    if (!variable || !secret) fail('ERR_CONFIG', `bad KEY_VAULT_MAP entry "${pair}"`);
    return { variable, secret };
  });
}

async function fetchSecrets() {
  const vault =
    env.KEY_VAULT_URL ?? `https://${required('KEY_VAULT_NAME')}.vault.azure.net`;
  const file = env.SECRETS_FILE ?? '/etc/polling-app/secrets.env';
  const bearer = await token('https://vault.azure.net');
  const lines = [];
  for (const { variable, secret } of parseMap(required('KEY_VAULT_MAP'))) {
    const url = `${vault}/secrets/${secret}?api-version=7.4`;
    const { value } = await (
      await request(url, { Authorization: `Bearer ${bearer}` })
    ).json();
    if (typeof value !== 'string' || !SAFE_VALUE.test(value)) {
      fail(
        'ERR_SECRET_VALUE',
        `secret ${secret} is empty or has characters outside ${SAFE_VALUE}`,
      );
    }
    lines.push(`${variable}=${value}`);
  }

  const partial = `${file}.partial`;
  await writeFile(partial, `${lines.join('\n')}\n`, { mode: 0o600 });
  await chmod(partial, 0o600);
  await rename(partial, file);
  log('info', 'secrets written', { file, variables: lines.length });
}

const commands = { release: fetchRelease, secrets: fetchSecrets };
const command = commands[process.argv[2]];
try {
  if (!command) fail('ERR_USAGE', 'usage: azure-fetch.mjs release FILE | secrets');
  await command(process.argv[3]);
} catch (err) {
  log('error', 'azure-fetch failed', { code: err.code, err: err.message });
  process.exitCode = 1;
}
