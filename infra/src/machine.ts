// The single-VM shape: one VM with a static Standard public address and a DNS
// label. A new release changes the custom data, which replaces the VM: a few
// minutes of downtime, the price of this shape (the scaled one rolls).
import * as compute from '@pulumi/azure-native/compute/index.js';
import * as network from '@pulumi/azure-native/network/index.js';
import * as pulumi from '@pulumi/pulumi';
import { type Placement, placed } from './context.js';
import type { VmProfileArgs } from './vmProfile.js';
import {
  IMAGE,
  identity,
  linuxConfiguration,
  OS_DISK,
  SECURITY_PROFILE,
} from './vmProfile.js';

export interface MachineArgs extends VmProfileArgs {
  subnetId: pulumi.Input<string>;
  dnsLabel: string;
  dependsOn: pulumi.Resource[];
}

export class Machine extends pulumi.ComponentResource {
  readonly fqdn: pulumi.Output<string>;

  constructor(
    name: string,
    place: Placement,
    args: MachineArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('polling:infra:Machine', name, {}, opts);
    const common = placed(place);

    const ip = new network.PublicIPAddress(
      'ip',
      {
        ...common,
        sku: { name: 'Standard', tier: 'Regional' },
        publicIPAllocationMethod: 'Static',
        dnsSettings: { domainNameLabel: args.dnsLabel },
      },
      { parent: this },
    );
    const nic = new network.NetworkInterface(
      'nic',
      {
        ...common,
        ipConfigurations: [
          {
            name: 'ipcfg',
            primary: true,
            subnet: { id: args.subnetId },
            publicIPAddress: { id: ip.id },
            privateIPAllocationMethod: 'Dynamic',
          },
        ],
      },
      { parent: this },
    );
    new compute.VirtualMachine(
      'vm',
      {
        ...common,
        hardwareProfile: { vmSize: args.vmSize },
        identity: identity(args),
        securityProfile: SECURITY_PROFILE,
        storageProfile: { imageReference: IMAGE, osDisk: OS_DISK },
        networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
        diagnosticsProfile: { bootDiagnostics: { enabled: true } },
        osProfile: {
          computerName: 'polling-app',
          adminUsername: args.adminUsername,
          customData: args.customData,
          linuxConfiguration: linuxConfiguration(args),
        },
      },
      {
        parent: this,
        dependsOn: args.dependsOn,
        // cloud-init runs once per VM, so new custom data means a new VM; the
        // NIC can hold one VM at a time, hence delete first.
        replaceOnChanges: ['osProfile.customData'],
        deleteBeforeReplace: true,
      },
    );

    this.fqdn = ip.dnsSettings.apply((dns) => dns?.fqdn ?? '');
    this.registerOutputs({ fqdn: this.fqdn });
  }
}
