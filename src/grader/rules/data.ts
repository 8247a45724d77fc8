// The rule data lives in the Python package so the wheel ships it to the service; tsc
// leaves this import as it is and webpack inlines the file into whichever chunk uses it.
import RAW_RULES from '../../../jupyterlab_atrium/grader/grader-rules.json';

export type JSONObject = { [key: string]: unknown };

export const RULES = RAW_RULES;
export const METADATA_VERSION: number = RULES.metadataVersion;
export const ROLES: readonly string[] = RULES.roles;
export const ANSWER_ROLES: ReadonlySet<string> = new Set(RULES.answerRoles);
export const LOCKED_ROLES: ReadonlySet<string> = new Set(RULES.lockedRoles);
export const LIMITS = RULES.limits;
export const BINARY_MIME_TYPES: ReadonlySet<string> = new Set(
  RULES.binaryMimeTypes
);
export const CODE_STUBS: Readonly<Record<string, readonly string[]>> =
  RULES.codeStubs;
export const TEXT_STUB: readonly string[] = RULES.textStub;
export const FALLBACK_STUB: string = RULES.fallbackStub;
export const DEFAULT_LANGUAGE: string = RULES.defaultLanguage;

export const MARKER = new RegExp(RULES.marker);
export const LOOKALIKE = new RegExp(RULES.lookalike, 'i');
export const EXERCISE_ID = new RegExp(RULES.exerciseId);

/** Whitespace as Python's str.strip(" \t\r\f\v\n") sees it (String.trim knows more). */
export function stripWhitespace(text: string): string {
  return text.replace(/^[ \t\r\f\v\n]+|[ \t\r\f\v\n]+$/g, '');
}

export function hasOwn(value: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

/** The value of a key, or null when it is missing (as Python's dict.get). */
export function get(value: JSONObject, key: string): unknown {
  return hasOwn(value, key) ? value[key] : null;
}

export function isObject(value: unknown): value is JSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The JSON type name of a parsed value, as the Python twin names it; a missing key
 * (undefined) reads as null there, so it does here.
 */
export function jsonType(value: unknown): string {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  return typeof value;
}

export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function isInteger(value: unknown): value is number {
  return isNumber(value) && Number.isInteger(value);
}

/** A deep copy of a JSON value whose depth has been checked (see tooDeep). */
export function copyJSON<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(item => copyJSON(item)) as T;
  }
  if (isObject(value)) {
    const copy: JSONObject = {};
    for (const [key, item] of Object.entries(value)) {
      // defineProperty, so that a "__proto__" key stays an ordinary key.
      Object.defineProperty(copy, key, {
        value: copyJSON(item),
        enumerable: true,
        writable: true,
        configurable: true
      });
    }
    return copy as T;
  }
  return value;
}

/**
 * Whether objects and arrays nest deeper than `limit` (the value itself is level 1);
 * checked before anything recurses into a cell.
 */
export function tooDeep(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item === 'object' && item !== null) {
      if (depth > limit) {
        return true;
      }
      const children = Array.isArray(item) ? item : Object.values(item);
      for (const child of children) {
        stack.push([child, depth + 1]);
      }
    }
  }
  return false;
}

/**
 * Whether the strings in a JSON value (keys too) add up to more than `limit` UTF-16
 * units; stops as soon as they do.
 */
export function tooLarge(value: unknown, limit: number): boolean {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      total += item.length;
    } else if (Array.isArray(item)) {
      for (const child of item) {
        stack.push(child);
      }
    } else if (isObject(item)) {
      for (const [key, child] of Object.entries(item)) {
        total += key.length;
        stack.push(child);
      }
    }
    if (total > limit) {
      return true;
    }
  }
  return false;
}
