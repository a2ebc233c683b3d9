// Writes the cloud-config the program generates for one stack, decoded from
// the VM's custom data, exactly as Azure would hand it to cloud-init. The
// program runs against Pulumi's mocks (see test/harness.ts); only the cloud
// is stood in for.
//   node --import tsx scripts/render-cloud-config.ts STACK FILE
import { writeFileSync } from 'node:fs';
import { runStack } from '../test/harness.js';
import { customData } from '../test/inspect.js';

const [stack, file] = process.argv.slice(2);
if (!stack || !file) {
  console.error('usage: render-cloud-config.ts STACK FILE');
  process.exit(2);
}
const texts = customData(await runStack(stack));
if (texts.length !== 1) throw new Error(`expected one VM profile, found ${texts.length}`);
writeFileSync(file, texts[0] as string);
console.log(`render-cloud-config: wrote ${file} for stack ${stack}`);
