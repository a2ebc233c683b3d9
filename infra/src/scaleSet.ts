// The scaled shape: a Flexible scale set across zones 1-3 behind a Standard
// load balancer. The probe and the Application Health extension both ask
// HEALTH_PATH; unhealthy instances are replaced (automatic repairs); CPU
// drives the count between MIN_INSTANCES and maxInstances; model changes (a
// new release's custom data) roll out in batches. Outbound goes through the
// subnet's NAT gateway, so the load balancer rule does no outbound SNAT.
import * as compute from '@pulumi/azure-native/compute/index.js';
import * as monitor from '@pulumi/azure-native/monitor/index.js';
import * as network from '@pulumi/azure-native/network/index.js';
import type { monitor as monitorInput } from '@pulumi/azure-native/types/input.js';
import * as pulumi from '@pulumi/pulumi';
import { APP_PORT, HEALTH_PATH } from './app.js';
import { MIN_INSTANCES } from './config.js';
import { type Placed, type Placement, placed } from './context.js';
import type { VmProfileArgs } from './vmProfile.js';
import {
  IMAGE,
  identity,
  linuxConfiguration,
  OS_DISK,
  SECURITY_PROFILE,
} from './vmProfile.js';

export const ZONES = ['1', '2', '3'];
// Named, not generated: the rule refers to the balancer's own parts by id.
const LB_NAME = 'lb';

export interface ScaleSetArgs extends VmProfileArgs {
  subnetId: pulumi.Input<string>;
  dnsLabel: string;
  maxInstances: number;
  dependsOn: pulumi.Resource[];
}

function cpuRule(
  direction: 'Increase' | 'Decrease',
  threshold: number,
  vmss: pulumi.Input<string>,
): monitorInput.ScaleRuleArgs {
  return {
    metricTrigger: {
      metricName: 'Percentage CPU',
      metricNamespace: 'microsoft.compute/virtualmachinescalesets',
      metricResourceUri: vmss,
      operator: direction === 'Increase' ? 'GreaterThan' : 'LessThan',
      threshold,
      statistic: 'Average',
      timeAggregation: 'Average',
      timeGrain: 'PT1M',
      timeWindow: direction === 'Increase' ? 'PT5M' : 'PT10M',
    },
    scaleAction: { direction, type: 'ChangeCount', value: '1', cooldown: 'PT5M' },
  };
}

export class ScaleSet extends pulumi.ComponentResource {
  readonly fqdn: pulumi.Output<string>;

  constructor(
    name: string,
    place: Placement,
    args: ScaleSetArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('polling:infra:ScaleSet', name, {}, opts);
    const common = placed(place);
    const ip = new network.PublicIPAddress(
      'lb-ip',
      {
        ...common,
        sku: { name: 'Standard', tier: 'Regional' },
        publicIPAllocationMethod: 'Static',
        zones: ZONES,
        dnsSettings: { domainNameLabel: args.dnsLabel },
      },
      { parent: this },
    );
    const lbId = pulumi.interpolate`/subscriptions/${place.subscriptionId}/resourceGroups/${place.resourceGroupName}/providers/Microsoft.Network/loadBalancers/${LB_NAME}`;
    const lb = this.loadBalancer(common, lbId, ip.id);
    const pool = pulumi.interpolate`${lbId}/backendAddressPools/app`;
    const vmss = this.scaleSet(common, args, pool, [lb, ...args.dependsOn]);
    this.autoscale(common, args.maxInstances, vmss.id);

    this.fqdn = ip.dnsSettings.apply((dns) => dns?.fqdn ?? '');
    this.registerOutputs({ fqdn: this.fqdn });
  }

  private loadBalancer(
    common: Placed,
    id: pulumi.Output<string>,
    ipId: pulumi.Input<string>,
  ) {
    return new network.LoadBalancer(
      'lb',
      {
        ...common,
        loadBalancerName: LB_NAME,
        sku: { name: 'Standard', tier: 'Regional' },
        frontendIPConfigurations: [{ name: 'public', publicIPAddress: { id: ipId } }],
        backendAddressPools: [{ name: 'app' }],
        probes: [
          {
            name: 'ready',
            protocol: 'Http',
            port: APP_PORT,
            requestPath: HEALTH_PATH,
            intervalInSeconds: 5,
            probeThreshold: 2,
          },
        ],
        loadBalancingRules: [
          {
            name: 'http',
            protocol: 'Tcp',
            frontendPort: 80,
            backendPort: APP_PORT,
            frontendIPConfiguration: {
              id: pulumi.interpolate`${id}/frontendIPConfigurations/public`,
            },
            backendAddressPool: { id: pulumi.interpolate`${id}/backendAddressPools/app` },
            probe: { id: pulumi.interpolate`${id}/probes/ready` },
            disableOutboundSnat: true,
            enableTcpReset: true,
            idleTimeoutInMinutes: 4,
          },
        ],
      },
      { parent: this },
    );
  }

  private scaleSet(
    common: Placed,
    args: ScaleSetArgs,
    pool: pulumi.Input<string>,
    dependsOn: pulumi.Resource[],
  ) {
    return new compute.VirtualMachineScaleSet(
      'vmss',
      {
        ...common,
        orchestrationMode: 'Flexible',
        platformFaultDomainCount: 1,
        singlePlacementGroup: false,
        zones: ZONES,
        sku: { name: args.vmSize, capacity: MIN_INSTANCES },
        identity: identity(args),
        upgradePolicy: {
          mode: 'Rolling',
          rollingUpgradePolicy: {
            maxBatchInstancePercent: 34,
            maxUnhealthyInstancePercent: 34,
            maxUnhealthyUpgradedInstancePercent: 34,
            pauseTimeBetweenBatches: 'PT1M',
            prioritizeUnhealthyInstances: true,
          },
        },
        // First boot installs Node and the release's dependencies: give it time.
        automaticRepairsPolicy: {
          enabled: true,
          gracePeriod: 'PT30M',
          repairAction: 'Replace',
        },
        virtualMachineProfile: this.instanceProfile(args, pool),
      },
      // Autoscale owns the instance count once the set exists.
      { parent: this, dependsOn, ignoreChanges: ['sku.capacity'] },
    );
  }

  private instanceProfile(args: ScaleSetArgs, pool: pulumi.Input<string>) {
    return {
      securityProfile: SECURITY_PROFILE,
      storageProfile: { imageReference: IMAGE, osDisk: OS_DISK },
      diagnosticsProfile: { bootDiagnostics: { enabled: true } },
      osProfile: {
        computerNamePrefix: 'polling',
        adminUsername: args.adminUsername,
        customData: args.customData,
        linuxConfiguration: linuxConfiguration(args),
      },
      networkProfile: {
        networkApiVersion: '2020-11-01',
        networkInterfaceConfigurations: [
          {
            name: 'nic',
            primary: true,
            ipConfigurations: [
              {
                name: 'ipcfg',
                primary: true,
                subnet: { id: args.subnetId },
                loadBalancerBackendAddressPools: [{ id: pool }],
              },
            ],
          },
        ],
      },
      extensionProfile: {
        extensions: [
          {
            name: 'health',
            publisher: 'Microsoft.ManagedServices',
            type: 'ApplicationHealthLinux',
            typeHandlerVersion: '2.0',
            autoUpgradeMinorVersion: true,
            settings: { protocol: 'http', port: APP_PORT, requestPath: HEALTH_PATH },
          },
        ],
      },
    };
  }

  private autoscale(common: Placed, maxInstances: number, vmss: pulumi.Output<string>) {
    new monitor.AutoscaleSetting(
      'autoscale',
      {
        ...common,
        enabled: true,
        targetResourceUri: vmss,
        profiles: [
          {
            name: 'cpu',
            capacity: {
              minimum: String(MIN_INSTANCES),
              maximum: String(maxInstances),
              default: String(MIN_INSTANCES),
            },
            rules: [cpuRule('Increase', 70, vmss), cpuRule('Decrease', 25, vmss)],
          },
        ],
      },
      { parent: this },
    );
  }
}
