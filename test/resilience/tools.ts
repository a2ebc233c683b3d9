import { spawnSync } from 'node:child_process';

const TOOLS = [
  ['haproxy', '-v'],
  ['mariadbd', '--version'],
  ['mariadb-install-db', '--help'],
];

/**
 * Why the resilience tests cannot run here, or false when they can: they
 * need HAProxy and MariaDB's server binaries (`.ci/run` installs them), and
 * a run narrowed with TEST_DATABASES to databases other than MariaDB skips
 * them too.
 */
export function missingTools(): string | false {
  const only = process.env.TEST_DATABASES;
  if (only && !only.includes('mariadb'))
    return `TEST_DATABASES=${only} leaves out MariaDB`;
  const missing = TOOLS.filter(([command, flag]) => {
    const result = spawnSync(command as string, [flag as string], { stdio: 'ignore' });
    return result.error !== undefined;
  }).map(([command]) => command);
  return missing.length > 0 ? `not installed: ${missing.join(', ')}` : false;
}
