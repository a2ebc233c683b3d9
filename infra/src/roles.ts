// Built-in Azure role definitions the program grants, by their fixed ids.
import * as pulumi from '@pulumi/pulumi';

export const KEY_VAULT_SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';
export const STORAGE_BLOB_DATA_READER = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1';

export function roleDefinitionId(
  subscriptionId: pulumi.Input<string>,
  role: string,
): pulumi.Output<string> {
  return pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role}`;
}
