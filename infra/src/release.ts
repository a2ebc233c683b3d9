// The app's release, as built by scripts/release.sh, in a private blob
// container that only the app's identity may read. The checksum written beside
// the tarball must match its bytes; the VM checks the same checksum again.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as authorization from '@pulumi/azure-native/authorization/index.js';
import * as storage from '@pulumi/azure-native/storage/index.js';
import * as pulumi from '@pulumi/pulumi';
import { ConfigError } from './config.js';
import type { Placement } from './context.js';
import { roleDefinitionId, STORAGE_BLOB_DATA_READER } from './roles.js';

export interface ReleaseArgs {
  file: string;
  readerPrincipalId: pulumi.Input<string>;
}

export function checkedSha256(file: string): string {
  const actual = createHash('sha256').update(readFileSync(file)).digest('hex');
  const recorded = readFileSync(`${file}.sha256`, 'utf8').split(/\s+/)[0];
  if (recorded !== actual) {
    throw new ConfigError(
      `${file} has sha256 ${actual}, but its .sha256 says ${recorded}`,
    );
  }
  return actual;
}

export class ReleaseStore extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly sha256: string;
  readonly grant: authorization.RoleAssignment;

  constructor(
    name: string,
    place: Placement,
    args: ReleaseArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('polling:infra:ReleaseStore', name, {}, opts);
    const child = { parent: this };
    this.sha256 = checkedSha256(args.file);

    // Shared-key access stays on: the provider uploads the blob with the
    // account key. Anonymous access is off; the VM reads with its identity.
    const account = new storage.StorageAccount(
      'release',
      {
        resourceGroupName: place.resourceGroupName,
        location: place.location,
        tags: place.tags,
        kind: 'StorageV2',
        sku: { name: 'Standard_LRS' },
        allowBlobPublicAccess: false,
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: 'TLS1_2',
      },
      child,
    );
    const container = new storage.BlobContainer(
      'releases',
      {
        resourceGroupName: place.resourceGroupName,
        accountName: account.name,
        containerName: 'releases',
        publicAccess: 'None',
      },
      child,
    );
    const blob = new storage.Blob(
      'tarball',
      {
        resourceGroupName: place.resourceGroupName,
        accountName: account.name,
        containerName: container.name,
        blobName: basename(args.file),
        contentType: 'application/gzip',
        source: new pulumi.asset.FileAsset(args.file),
      },
      child,
    );
    this.grant = new authorization.RoleAssignment(
      'read-releases',
      {
        principalId: args.readerPrincipalId,
        principalType: 'ServicePrincipal',
        roleDefinitionId: roleDefinitionId(
          place.subscriptionId,
          STORAGE_BLOB_DATA_READER,
        ),
        scope: container.id,
      },
      child,
    );

    this.url = blob.url;
    this.registerOutputs({ url: this.url, sha256: this.sha256 });
  }
}
