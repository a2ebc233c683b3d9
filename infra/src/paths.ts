import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's root, found from this module whether it runs from source
 * (tsx) or from bin/ (Pulumi), so files in deploy/ are read, never copied.
 */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'deploy', 'polling-app.service'))) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('deploy/polling-app.service not found above infra/');
    dir = parent;
  }
  return dir;
}

export function deployFile(relative: string): string {
  return join(repoRoot(), 'deploy', relative);
}
