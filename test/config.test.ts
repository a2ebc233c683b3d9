import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, describeDatabase, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('defaults to SQLite in a local file and HTTP on 8080', () => {
    const config = loadConfig({});
    assert.deepEqual(config.database, { kind: 'sqlite', file: 'polling-app.db' });
    assert.equal(config.httpPort, 8080);
  });

  it("reads the original flask.rc variables, where PORT is the database's port", () => {
    const config = loadConfig({
      DB_TYPE: 'mysql',
      ENDPOINT_ADDRESS: 'db.example.internal',
      PORT: '3307',
      DB_NAME: 'PollingAppDb',
      MASTER_USERNAME: 'pollster',
      MASTER_PASSWORD: 's3cret',
    });
    assert.deepEqual(config.database, {
      kind: 'mysql',
      host: 'db.example.internal',
      port: 3307,
      database: 'PollingAppDb',
      user: 'pollster',
      password: 's3cret',
      ssl: false,
    });
    assert.equal(config.httpPort, 8080);
  });

  it('accepts the older DB_HOST, DB_PORT, DB_USER and DB_PASS names', () => {
    const config = loadConfig({
      DB_TYPE: 'postgresql',
      DB_HOST: 'pg',
      DB_PORT: '5433',
      DB_NAME: 'polls',
      DB_USER: 'u',
      DB_PASS: 'p',
    });
    assert.equal(config.database.kind, 'postgres');
    assert.equal((config.database as { port: number }).port, 5433);
  });

  it('treats any other DB_TYPE as SQLite', () => {
    assert.equal(loadConfig({ DB_TYPE: 'sqlite3' }).database.kind, 'sqlite');
  });

  it('lets DATABASE_URL win over the separate variables', () => {
    const config = loadConfig({
      DB_TYPE: 'postgresql',
      DATABASE_URL: 'mariadb://a:b%40c@h:3310/d?ssl=true',
      HTTP_PORT: '9000',
    });
    assert.deepEqual(config.database, {
      kind: 'mysql',
      host: 'h',
      port: 3310,
      database: 'd',
      user: 'a',
      password: 'b@c',
      ssl: true,
    });
    assert.equal(config.httpPort, 9000);
  });

  it('stops on a bad value with one line naming the variable', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ HTTP_PORT: 'eighty' }, /^HTTP_PORT must be an integer/],
      [{ HTTP_PORT: '70000' }, /^HTTP_PORT/],
      [{ DB_TYPE: 'mysql', MASTER_USERNAME: 'u' }, /^DB_NAME is required/],
      [{ DATABASE_URL: 'oracle://x/y' }, /^DATABASE_URL has unsupported scheme "oracle"/],
      [{ DATABASE_URL: 'mysql://u:p@h:3306/' }, /^DATABASE_URL names no database/],
      [{ DB_SSL: 'maybe', DB_TYPE: 'mysql', DB_NAME: 'd', DB_USER: 'u' }, /^DB_SSL/],
      [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL/],
      [{ WORKERS: '0' }, /^WORKERS/],
    ];
    for (const [env, message] of cases) {
      assert.throws(
        () => loadConfig(env),
        (err: Error) => {
          assert.ok(err instanceof ConfigError);
          assert.match(err.message, message);
          assert.doesNotMatch(err.message, /\n/);
          return true;
        },
      );
    }
  });

  it('never repeats a secret in an error or a description', () => {
    assert.throws(
      () => loadConfig({ ADMIN_TOKEN: 'short-secret' }),
      (err: Error) => {
        assert.match(err.message, /^ADMIN_TOKEN must be at least/);
        assert.doesNotMatch(err.message, /short-secret/);
        return true;
      },
    );
    const config = loadConfig({
      DATABASE_URL: 'mysql://user:hunter2hunter2@db:3306/polls',
    });
    assert.equal(describeDatabase(config.database), 'mysql://user@db:3306/polls');
  });
});
