// Key Vault in RBAC mode with the app's secrets, each generated here. The
// app's identity may read exactly these secrets: one role assignment per
// secret, scoped to the secret, not to the vault.
import * as authorization from '@pulumi/azure-native/authorization/index.js';
import * as keyvault from '@pulumi/azure-native/keyvault/index.js';
import * as pulumi from '@pulumi/pulumi';
import type { Placement } from './context.js';
import { KEY_VAULT_SECRETS_USER, roleDefinitionId } from './roles.js';

export interface VaultArgs {
  purgeProtection: boolean;
  readerPrincipalId: pulumi.Input<string>;
  /** Secret name -> value. */
  secrets: Record<string, pulumi.Input<string>>;
}

export class Vault extends pulumi.ComponentResource {
  readonly name: pulumi.Output<string>;
  /** The role assignments, so a VM can wait for them. */
  readonly grants: authorization.RoleAssignment[] = [];

  constructor(
    name: string,
    place: Placement,
    args: VaultArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('polling:infra:Vault', name, {}, opts);
    const vault = new keyvault.Vault(
      'kv',
      {
        resourceGroupName: place.resourceGroupName,
        location: place.location,
        tags: place.tags,
        properties: {
          tenantId: place.tenantId,
          sku: { family: 'A', name: 'standard' },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          softDeleteRetentionInDays: args.purgeProtection ? 90 : 7,
          // Azure accepts true or nothing: purge protection cannot be turned off.
          enablePurgeProtection: args.purgeProtection ? true : undefined,
        },
      },
      { parent: this },
    );

    for (const [secretName, value] of Object.entries(args.secrets)) {
      const secret = new keyvault.Secret(
        secretName,
        {
          resourceGroupName: place.resourceGroupName,
          vaultName: vault.name,
          secretName,
          properties: { value: pulumi.secret(value) },
        },
        { parent: this },
      );
      const grant = new authorization.RoleAssignment(
        `read-${secretName}`,
        {
          principalId: args.readerPrincipalId,
          principalType: 'ServicePrincipal',
          roleDefinitionId: roleDefinitionId(
            place.subscriptionId,
            KEY_VAULT_SECRETS_USER,
          ),
          scope: secret.id,
        },
        { parent: this },
      );
      this.grants.push(grant);
    }

    this.name = vault.name;
    this.registerOutputs({ name: this.name });
  }
}
