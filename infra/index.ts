// Pulumi's entry point: read the stack's settings once, declare the stack,
// export its outputs.
import { readConfig } from './src/config.js';
import { createStack } from './src/stack.js';

const outputs = createStack(readConfig());

export const url = outputs.url;
export const fqdn = outputs.fqdn;
export const healthPath = outputs.healthPath;
export const shape = outputs.shape;
export const resourceGroup = outputs.resourceGroup;
export const dbHost = outputs.dbHost;
export const dbName = outputs.dbName;
export const dbUser = outputs.dbUser;
export const keyVaultName = outputs.keyVaultName;
export const identityClientId = outputs.identityClientId;
export const releaseUrl = outputs.releaseUrl;
export const releaseSha256 = outputs.releaseSha256;
