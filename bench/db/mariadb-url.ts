import type { ConnectionOptions } from 'mysql2';

/** mysql://user:pass@host:port/db to mysql2 options. */
export function mysqlOptions(url: string): ConnectionOptions {
  const u = new URL(url);
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw new Error(`not a mysql:// url: '${u.protocol}'`);
  }
  return {
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1),
  };
}
