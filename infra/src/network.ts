// The virtual network: an app subnet behind a security group that admits the
// app's HTTP port from the internet and nothing else (no SSH: operators use
// Run Command), and a database subnet delegated to MySQL Flexible Server.
// With natGateway, the app subnet's outbound traffic leaves through a NAT
// gateway, as scale set instances have no public address of their own.
import * as network from '@pulumi/azure-native/network/index.js';
import * as pulumi from '@pulumi/pulumi';
import { APP_PORT } from './app.js';
import { type Placed, type Placement, placed } from './context.js';

export const MYSQL_DELEGATION = 'Microsoft.DBforMySQL/flexibleServers';

export interface NetworkArgs {
  cidr: { vnet: string; app: string; db: string };
  natGateway: boolean;
}

export class Network extends pulumi.ComponentResource {
  readonly vnetId: pulumi.Output<string>;
  readonly appSubnetId: pulumi.Output<string>;
  readonly dbSubnetId: pulumi.Output<string>;

  constructor(
    name: string,
    place: Placement,
    args: NetworkArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('polling:infra:Network', name, {}, opts);
    const common = placed(place);
    const child = { parent: this };

    const nsg = new network.NetworkSecurityGroup(
      'nsg',
      {
        ...common,
        securityRules: [
          {
            name: 'allow-http',
            priority: 100,
            direction: 'Inbound',
            access: 'Allow',
            protocol: 'Tcp',
            sourceAddressPrefix: 'Internet',
            sourcePortRange: '*',
            destinationAddressPrefix: args.cidr.app,
            destinationPortRange: String(APP_PORT),
          },
        ],
      },
      child,
    );
    const vnet = new network.VirtualNetwork(
      'vnet',
      { ...common, addressSpace: { addressPrefixes: [args.cidr.vnet] } },
      child,
    );
    const nat = args.natGateway ? this.natGateway(common) : undefined;

    const app = new network.Subnet(
      'app',
      {
        resourceGroupName: place.resourceGroupName,
        virtualNetworkName: vnet.name,
        addressPrefix: args.cidr.app,
        networkSecurityGroup: { id: nsg.id },
        natGateway: nat ? { id: nat.id } : undefined,
        defaultOutboundAccess: false,
      },
      child,
    );
    // Subnets of one network are changed one at a time, or Azure refuses.
    const db = new network.Subnet(
      'db',
      {
        resourceGroupName: place.resourceGroupName,
        virtualNetworkName: vnet.name,
        addressPrefix: args.cidr.db,
        delegations: [{ name: 'mysql', serviceName: MYSQL_DELEGATION }],
        defaultOutboundAccess: false,
      },
      { parent: this, dependsOn: [app] },
    );

    this.vnetId = vnet.id;
    this.appSubnetId = app.id;
    this.dbSubnetId = db.id;
    this.registerOutputs({ vnetId: this.vnetId });
  }

  private natGateway(common: Placed): network.NatGateway {
    const ip = new network.PublicIPAddress(
      'nat-ip',
      {
        ...common,
        sku: { name: 'Standard', tier: 'Regional' },
        publicIPAllocationMethod: 'Static',
      },
      { parent: this },
    );
    return new network.NatGateway(
      'nat',
      {
        ...common,
        sku: { name: 'Standard' },
        publicIpAddresses: [{ id: ip.id }],
        idleTimeoutInMinutes: 4,
      },
      { parent: this },
    );
  }
}
