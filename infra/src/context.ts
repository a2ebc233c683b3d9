import type * as pulumi from '@pulumi/pulumi';

/** Where every resource of the stack goes; handed to each component. */
export interface Placement {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  subscriptionId: pulumi.Input<string>;
  tenantId: pulumi.Input<string>;
  tags: Record<string, string>;
}

/** The three arguments nearly every resource takes. */
export function placed(place: Placement) {
  return {
    resourceGroupName: place.resourceGroupName,
    location: place.location,
    tags: place.tags,
  };
}

export type Placed = ReturnType<typeof placed>;
