// What the program knows about the app it deploys (docs/contract.md).

/** The port the app listens on in Azure; the unit grants CAP_NET_BIND_SERVICE. */
export const APP_PORT = 80;

/**
 * The load balancer's probe and the Application Health extension ask this
 * route. Readiness rather than liveness: an instance whose database is away
 * leaves rotation instead of taking votes it would answer with 503.
 */
export const HEALTH_PATH = '/ready';

/** Environment variable -> Key Vault secret name, read at every service start. */
export const SECRET_VARIABLES = {
  DB_PASS: 'db-password',
  ADMIN_TOKEN: 'admin-token',
} as const;

export const APP_NAME = 'polling-app';
