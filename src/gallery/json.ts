import { MAX_DEPTH, StripError } from './rules';

/**
 * A JSON object as the strip reads it: values are only ever read, never changed.
 */
export type JSONRecord = { readonly [key: string]: unknown };

export function isRecord(value: unknown): value is JSONRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Set a field on a plain object. A `__proto__` key (legal in JSON, and JSON.parse makes it
 * an own property) must not become the object's prototype.
 */
export function setField(
  target: Record<string, unknown>,
  key: string,
  value: unknown
): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true
    });
  } else {
    target[key] = value;
  }
}

/**
 * A deep copy of a JSON value that is kept. Only kept data goes through here, so the cost
 * follows what is kept; outputs never do.
 */
export function copyJSON(value: unknown, depth = 1): unknown {
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  if (depth > MAX_DEPTH) {
    throw new StripError(
      `The notebook's metadata is nested more than ${MAX_DEPTH} levels deep.`
    );
  }
  if (Array.isArray(value)) {
    return value.map(item => copyJSON(item, depth + 1));
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    setField(copy, key, copyJSON((value as JSONRecord)[key], depth + 1));
  }
  return copy;
}

/**
 * Read access to a metadata object by key, so that a source which copies on every read
 * (the notebook model) is asked only for the keys that are kept.
 */
export interface IMetadataReader {
  keys(): Iterable<string>;
  get(key: string): unknown;
}

export function readerOf(object: JSONRecord): IMetadataReader {
  return {
    keys: () => Object.keys(object),
    get: key =>
      Object.prototype.hasOwnProperty.call(object, key)
        ? object[key]
        : undefined
  };
}
