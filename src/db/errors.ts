interface DriverError {
  code?: string;
  errno?: number;
  fatal?: boolean;
}

const UNIQUE_CODES = new Set([
  'ER_DUP_ENTRY', // MySQL and MariaDB
  '23505', // PostgreSQL unique_violation
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
]);

/** Connection-level failures: the database is away, not the query wrong. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_LOCK_WAIT_TIMEOUT',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);

const CONFLICT_CODES = new Set([
  'ER_LOCK_DEADLOCK',
  '40001', // PostgreSQL serialization_failure
  '40P01', // PostgreSQL deadlock_detected
]);

/** Two transactions collided; running the same one again is the cure. */
export function isConflict(error: unknown): boolean {
  return CONFLICT_CODES.has(String((error as DriverError)?.code));
}

export function isUniqueViolation(error: unknown): boolean {
  return UNIQUE_CODES.has(String((error as DriverError)?.code));
}

/** True when retrying later may succeed: the error is the connection's, not the SQL's. */
export function isTransient(error: unknown): boolean {
  const e = error as DriverError & { message?: string };
  if (!e || typeof e !== 'object') return false;
  if (UNAVAILABLE_CODES.has(String(e.code)) || e.fatal === true) return true;
  const code = String(e.code);
  if (code.startsWith('08')) return true; // PostgreSQL connection_exception
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return true;
  // pg and the pools report these without a code.
  return /Connection terminated|timeout exceeded when trying to connect|Pool is closed/i.test(
    e.message ?? '',
  );
}
