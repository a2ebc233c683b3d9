// Writes the files a cloud-config would write under one folder of the VM into
// a local folder, under their own names: the units for systemd-analyze, the
// env files for the boot-path check.
//   node --import tsx scripts/extract-files.ts CLOUD_CONFIG VM_FOLDER DIR
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cloudConfig } from '../test/inspect.js';

const [file, folder, dir] = process.argv.slice(2);
if (!file || !folder || !dir) {
  console.error('usage: extract-files.ts CLOUD_CONFIG VM_FOLDER DIR');
  process.exit(2);
}
const files = cloudConfig(readFileSync(file, 'utf8')).write_files.filter((f) =>
  f.path.startsWith(`${folder.replace(/\/$/, '')}/`),
);
if (files.length === 0) throw new Error(`${file} writes nothing under ${folder}`);
for (const f of files) {
  writeFileSync(join(dir, basename(f.path)), f.content, {
    mode: Number.parseInt(f.permissions, 8),
  });
}
