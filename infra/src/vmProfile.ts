// What a single VM and a scale set instance have in common: the image, SSH
// keys only, the app's identity, Trusted Launch, and the cloud-config.
import type * as pulumi from '@pulumi/pulumi';

export interface VmProfileArgs {
  vmSize: string;
  adminUsername: string;
  sshPublicKey: string;
  identityId: pulumi.Input<string>;
  /** base64 of the cloud-config. */
  customData: pulumi.Input<string>;
}

export const IMAGE = {
  publisher: 'Canonical',
  offer: 'ubuntu-24_04-lts',
  sku: 'server',
  version: 'latest',
};

export function linuxConfiguration(args: VmProfileArgs) {
  return {
    disablePasswordAuthentication: true,
    provisionVMAgent: true,
    ssh: {
      publicKeys: [
        {
          path: `/home/${args.adminUsername}/.ssh/authorized_keys`,
          keyData: args.sshPublicKey,
        },
      ],
    },
  };
}

export function identity(args: VmProfileArgs) {
  return { type: 'UserAssigned' as const, userAssignedIdentities: [args.identityId] };
}

export const SECURITY_PROFILE = {
  securityType: 'TrustedLaunch',
  uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
};

export const OS_DISK = {
  createOption: 'FromImage',
  managedDisk: { storageAccountType: 'StandardSSD_LRS' },
  deleteOption: 'Delete',
};
