// The app's managed identity. User-assigned rather than system-assigned: it
// exists before any VM, so its grants are in place (give or take RBAC
// propagation, which the boot scripts retry through) at first boot, every
// scale set instance shares it, and replacing a VM keeps it.
import * as managedidentity from '@pulumi/azure-native/managedidentity/index.js';
import * as pulumi from '@pulumi/pulumi';
import type { Placement } from './context.js';

export class AppIdentity extends pulumi.ComponentResource {
  readonly id: pulumi.Output<string>;
  readonly principalId: pulumi.Output<string>;
  readonly clientId: pulumi.Output<string>;

  constructor(name: string, place: Placement, opts?: pulumi.ComponentResourceOptions) {
    super('polling:infra:AppIdentity', name, {}, opts);
    const identity = new managedidentity.UserAssignedIdentity(
      'id',
      {
        resourceGroupName: place.resourceGroupName,
        location: place.location,
        tags: place.tags,
      },
      { parent: this },
    );
    this.id = identity.id;
    this.principalId = identity.principalId;
    this.clientId = identity.clientId;
    this.registerOutputs({ clientId: this.clientId });
  }
}
