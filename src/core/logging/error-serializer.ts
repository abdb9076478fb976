import { TypeORMError } from 'typeorm';
import { maskQuoted, stripQueryStrings } from '../secrets';

/**
 * What a log line keeps of an error, whoever logs it and under whichever key: a fixed set of
 * fields, never the error's own properties. Errors carry far more than their message:
 * TypeORM's QueryFailedError the whole SQL (`query`), its bound values (`parameters`) and the
 * driver's error (whose `detail` quotes the row: `Key (email)=(…) already exists`); axios
 * errors (the Nango SDK) the request `config` with its Authorization header and URL; ioredis
 * errors the `command` with its arguments (job payloads). None of that is copied.
 *
 * Kept: the type, the message (query strings and URL credentials removed; for database
 * errors, every quoted value masked), the code (for database errors the PostgreSQL SQLSTATE),
 * the constraint, table and column a database error names, status, errno, syscall,
 * retryable, the stack frames, and the cause chain.
 */
export interface SerializedError {
  type: string;
  message: string;
  code?: string | number;
  constraint?: string;
  table?: string;
  column?: string;
  status?: number;
  statusCode?: number;
  errno?: number;
  syscall?: string;
  retryable?: boolean;
  stack?: string;
  cause?: SerializedError;
  errors?: SerializedError[];
}

const MAX_DEPTH = 3;
const MAX_AGGREGATED = 5;
const SQLSTATE = /^[0-9A-Z]{5}$/;
const IDENTIFIER = /^[\w.$-]{1,128}$/;

type Loose = Record<string, unknown>;

/** Marks an error already serialized here, so the second pass (pino's `err` serializer) keeps it as is. */
const SERIALIZED = Symbol('flowgate.serializedError');

/** pg's DatabaseError (a SQLSTATE and a severity) or anything TypeORM throws. */
function isDatabaseError(e: Loose): boolean {
  return e instanceof TypeORMError || (typeof e.severity === 'string' && typeof e.code === 'string' && SQLSTATE.test(e.code));
}

/**
 * The class name; for an error already reduced to a plain object (by this serializer, then
 * copied by pino-http's standard error serializer, which runs before ours), its `type`.
 */
function typeOf(e: Loose): string {
  const ctor = (e as { constructor?: { name?: unknown } }).constructor?.name;
  const t = !(e instanceof Error) && typeof e.type === 'string' ? e.type : typeof ctor === 'string' && ctor !== 'Object' ? ctor : e.name;
  return typeof t === 'string' && t ? t.slice(0, 100) : 'Error';
}

/**
 * pino-http runs pino's standard error serializer before ours, and it names an error by its
 * constructor: the safe copy gets a prototype whose constructor carries the type's name.
 */
const prototypes = new Map<string, object>();
function prototypeNamed(type: string): object {
  let proto = prototypes.get(type);
  if (!proto) {
    const ctor = { [type]: function () {} }[type];
    proto = Object.create(Object.prototype, { constructor: { value: ctor, enumerable: false } }) as object;
    if (prototypes.size < 1000) prototypes.set(type, proto);
  }
  return proto;
}

function identifier(v: unknown): string | undefined {
  return typeof v === 'string' && IDENTIFIER.test(v) ? v : undefined;
}

export function serializeError(err: unknown, depth = 0): SerializedError | undefined {
  if (err === undefined || err === null) return undefined;
  if (typeof err !== 'object') return { type: typeof err, message: stripQueryStrings(String(err)).slice(0, 2000) };
  const e = err as Loose;
  if ((e as Record<symbol, unknown>)[SERIALIZED]) return e as unknown as SerializedError;
  const driver = (e.driverError && typeof e.driverError === 'object' ? e.driverError : undefined) as Loose | undefined;
  const db = isDatabaseError(e) || (driver !== undefined && isDatabaseError(driver));
  const clean = (text: string) => (db ? maskQuoted(stripQueryStrings(text)) : stripQueryStrings(text));

  const type = typeOf(e);
  const message = clean(typeof e.message === 'string' ? e.message : '');
  const out: SerializedError = Object.assign(Object.create(prototypeNamed(type)) as SerializedError, { type, message });

  const code = driver?.code ?? e.code;
  if (typeof code === 'string' || typeof code === 'number') out.code = typeof code === 'string' ? code.slice(0, 64) : code;
  {
    // identifiers only (a value never matches IDENTIFIER's shape for long): kept on a second pass too
    const source = driver ?? e;
    const constraint = identifier(source.constraint);
    const table = identifier(source.table);
    const column = identifier(source.column);
    if (constraint) out.constraint = constraint;
    if (table) out.table = table;
    if (column) out.column = column;
  }
  if (typeof e.status === 'number') out.status = e.status;
  if (typeof e.statusCode === 'number') out.statusCode = e.statusCode;
  if (typeof e.errno === 'number') out.errno = e.errno;
  if (typeof e.syscall === 'string') out.syscall = e.syscall.slice(0, 64);
  if (typeof e.retryable === 'boolean') out.retryable = e.retryable;

  if (typeof e.stack === 'string') {
    // The stack's first line repeats the raw message: rebuild it from the clean one.
    const frames = e.stack.split('\n').filter((line) => /^\s+at /.test(line));
    out.stack = [`${type}: ${message}`, ...frames.map(clean)].join('\n');
  }
  if (depth < MAX_DEPTH) {
    const cause = e.cause;
    if (cause !== undefined && cause !== err) out.cause = serializeError(cause, depth + 1);
    if (Array.isArray(e.errors) && e.errors.length) {
      out.errors = e.errors.slice(0, MAX_AGGREGATED).map((x) => serializeError(x, depth + 1) ?? { type: 'undefined', message: '' });
    }
  }
  Object.defineProperty(out, SERIALIZED, { value: true, enumerable: false });
  return out;
}
