/**
 * What a database error means, on SQLite and on PostgreSQL alike. TypeORM wraps
 * driver errors in QueryFailedError (copying `code`); pool errors arrive raw.
 */

interface DriverError {
  code?: string;
  message?: string;
  driverError?: unknown;
}

function details(error: unknown): { code: string; message: string } {
  const { code, message, driverError } = (error ?? {}) as DriverError;
  const inner = (driverError ?? {}) as DriverError;
  return {
    code: String(code ?? inner.code ?? ''),
    message: String(message ?? inner.message ?? ''),
  };
}

/** Worth retrying the whole transaction: SQLite busy, PostgreSQL serialization failure or deadlock. */
export function isTransientConflict(error: unknown): boolean {
  const { code, message } = details(error);
  return (
    code === 'SQLITE_BUSY' || code === '40001' || code === '40P01' || /SQLITE_BUSY/.test(message)
  );
}

/** A unique index refused the row (SQLite SQLITE_CONSTRAINT "UNIQUE constraint failed", PostgreSQL 23505). */
export function isUniqueViolation(error: unknown): boolean {
  const { code, message } = details(error);
  return code === '23505' || /UNIQUE constraint failed/.test(message);
}

/** A foreign key refused the change (SQLite "FOREIGN KEY constraint failed", PostgreSQL 23503). */
export function isForeignKeyViolation(error: unknown): boolean {
  const { code, message } = details(error);
  return code === '23503' || /FOREIGN KEY constraint failed/.test(message);
}

/** Text the database cannot store, such as a NUL character on PostgreSQL (22021). */
export function isUnstorableText(error: unknown): boolean {
  const { code } = details(error);
  return code === '22021' || code === '22P05';
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '57014', // query_canceled: statement_timeout
  '55P03', // lock_not_available: lock_timeout
]);

/**
 * The database could not be reached or went away mid-query (or stayed busy past its
 * retries): nothing the client did wrong, worth retrying in a moment.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message } = details(error);
  return (
    UNREACHABLE_CODES.has(code) ||
    code.startsWith('08') || // PostgreSQL connection exceptions
    isTransientConflict(error) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established|Query read timeout|Query runner already released/i.test(
      message,
    )
  );
}
