/**
 * The `metadata.atrium.grader` model: validation and the public part a student may see.
 * Twin of jupyterlab_atrium/grader/metadata.py: the same checks, in the same order, with
 * the same messages (tests/fixtures/grader holds both to it).
 */
import {
  ANSWER_ROLES,
  copyJSON,
  EXERCISE_ID,
  hasOwn,
  isInteger,
  isNumber,
  isObject,
  JSONObject,
  jsonType,
  LIMITS,
  METADATA_VERSION,
  ROLES
} from './data';

const CELL_FIELDS = [
  'version',
  'role',
  'exercise',
  'points',
  'message',
  'hidden',
  'expected',
  'tolerance'
];
const NOTEBOOK_FIELDS = ['version', 'variant', 'title', 'exercises'];
const EXERCISE_FIELDS = ['title'];
/** Which roles may carry each role-specific field. */
const FIELD_ROLES: [string, string[]][] = [
  ['points', ['tests', 'expected-output', 'manual']],
  ['message', ['tests']],
  ['hidden', ['tests']],
  ['expected', ['expected-output']],
  ['tolerance', ['expected-output']]
];
/** What a student version keeps of a cell's grader metadata. */
const PUBLIC_CELL_FIELDS = [
  'version',
  'role',
  'exercise',
  'points',
  'message',
  'tolerance'
];
const PUBLIC_NOTEBOOK_FIELDS = ['version', 'title', 'exercises'];

const GRADER = 'atrium.grader';

function versionProblem(value: unknown, where: string): string | null {
  if (value === null || value === undefined) {
    return `${where}.version is missing (this Atrium writes version ${METADATA_VERSION})`;
  }
  if (!isInteger(value)) {
    return `${where}.version must be an integer, not ${jsonType(value)}`;
  }
  if (value > METADATA_VERSION) {
    return (
      `${where}.version is newer than this Atrium reads (version ${METADATA_VERSION}): ` +
      'the notebook was written by a newer Atrium'
    );
  }
  if (value < METADATA_VERSION) {
    return `${where}.version must be ${METADATA_VERSION}`;
  }
  return null;
}

function unknownFields(
  value: JSONObject,
  known: string[],
  where: string
): string[] {
  return Object.keys(value)
    .sort()
    .filter(key => !known.includes(key))
    .map(key => `${where} has an unknown field "${key}"`);
}

function textProblem(
  value: unknown,
  where: string,
  limit: number
): string | null {
  if (typeof value !== 'string') {
    return `${where} must be a string, not ${jsonType(value)}`;
  }
  if (value.length > limit) {
    return `${where} is longer than ${limit} characters`;
  }
  return null;
}

function optionalText(
  owner: JSONObject,
  key: string,
  where: string,
  limit: number
): string[] {
  if (!hasOwn(owner, key)) {
    return [];
  }
  const problem = textProblem(owner[key], `${where}.${key}`, limit);
  return problem === null ? [] : [problem];
}

/**
 * The checks every grader object starts with: its problems, and whether the rest cannot
 * be read (not an object, or a version this Atrium does not read).
 */
function head(grader: unknown, fields: string[]): [string[], boolean] {
  if (!isObject(grader)) {
    return [[`${GRADER} must be an object, not ${jsonType(grader)}`], true];
  }
  const version = versionProblem(
    hasOwn(grader, 'version') ? grader.version : null,
    GRADER
  );
  if (version !== null) {
    return [[version], true];
  }
  return [unknownFields(grader, fields, GRADER), false];
}

function expectedProblem(value: unknown, where: string): string | null {
  if (!isObject(value) || Object.keys(value).length === 0) {
    return `${where} must be a non-empty MIME bundle (an object such as {"text/plain": ...})`;
  }
  for (const mime of Object.keys(value).sort()) {
    const item = value[mime];
    if (typeof item === 'string' || isObject(item)) {
      continue;
    }
    if (Array.isArray(item) && item.every(part => typeof part === 'string')) {
      continue;
    }
    return `${where}["${mime}"] must be a string, a list of strings or an object`;
  }
  return null;
}

/** What is wrong with a cell's `atrium.grader` value; empty when it is valid. */
export function cellProblems(grader: unknown): string[] {
  const where = GRADER;
  const [problems, stop] = head(grader, CELL_FIELDS);
  if (stop || !isObject(grader)) {
    return problems;
  }
  let role: string | null = null;
  if (typeof grader.role === 'string' && ROLES.includes(grader.role)) {
    role = grader.role;
  } else {
    problems.push(`${where}.role must be one of ${ROLES.join(', ')}`);
  }
  if (hasOwn(grader, 'exercise')) {
    const exercise = grader.exercise;
    if (typeof exercise !== 'string' || !EXERCISE_ID.test(exercise)) {
      problems.push(
        `${where}.exercise must be 1 to 64 letters, digits, _ or - ` +
          "(nbgrader's grade id rule)"
      );
    }
  } else if (role !== null && (ANSWER_ROLES.has(role) || role === 'tests')) {
    problems.push(`${where}.exercise is required for a cell of role ${role}`);
  }
  if (hasOwn(grader, 'points')) {
    const points = grader.points;
    if (!isNumber(points) || points < 0 || points > LIMITS.points) {
      problems.push(
        `${where}.points must be a number from 0 to ${LIMITS.points}`
      );
    }
  }
  problems.push(...optionalText(grader, 'message', where, LIMITS.messageChars));
  if (hasOwn(grader, 'hidden') && typeof grader.hidden !== 'boolean') {
    problems.push(
      `${where}.hidden must be true or false, not ${jsonType(grader.hidden)}`
    );
  }
  if (hasOwn(grader, 'expected')) {
    const expected = expectedProblem(grader.expected, `${where}.expected`);
    if (expected !== null) {
      problems.push(expected);
    }
  }
  if (hasOwn(grader, 'tolerance')) {
    const tolerance = grader.tolerance;
    if (!isNumber(tolerance) || tolerance < 0 || tolerance > 1) {
      problems.push(
        `${where}.tolerance must be a number from 0 to 1 (relative)`
      );
    }
  }
  if (role !== null) {
    for (const [field, roles] of FIELD_ROLES) {
      if (hasOwn(grader, field) && !roles.includes(role)) {
        problems.push(
          `${where}.${field} has no meaning for a cell of role ${role} ` +
            `(only ${roles.join(', ')})`
        );
      }
    }
  }
  return problems;
}

function exerciseProblems(exercises: JSONObject, where: string): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(exercises).sort()) {
    const item = `${where}.exercises["${key}"]`;
    if (!EXERCISE_ID.test(key)) {
      problems.push(
        `${item}: an exercise id is 1 to 64 letters, digits, _ or -`
      );
      continue;
    }
    const value = exercises[key];
    if (!isObject(value)) {
      problems.push(`${item} must be an object, not ${jsonType(value)}`);
      continue;
    }
    problems.push(...unknownFields(value, EXERCISE_FIELDS, item));
    problems.push(...optionalText(value, 'title', item, LIMITS.titleChars));
  }
  return problems;
}

/** What is wrong with the notebook's `atrium.grader` value; empty when it is valid. */
export function notebookProblems(grader: unknown): string[] {
  const where = GRADER;
  const [problems, stop] = head(grader, NOTEBOOK_FIELDS);
  if (stop || !isObject(grader)) {
    return problems;
  }
  if (
    hasOwn(grader, 'variant') &&
    grader.variant !== 'instructor' &&
    grader.variant !== 'student'
  ) {
    problems.push(`${where}.variant must be instructor or student`);
  }
  problems.push(...optionalText(grader, 'title', where, LIMITS.titleChars));
  if (hasOwn(grader, 'exercises')) {
    const exercises = grader.exercises;
    if (!isObject(exercises)) {
      problems.push(
        `${where}.exercises must be an object, not ${jsonType(exercises)}`
      );
    } else {
      problems.push(...exerciseProblems(exercises, where));
    }
  }
  return problems;
}

function pick(value: JSONObject, fields: string[]): JSONObject {
  const kept: JSONObject = {};
  for (const field of fields) {
    if (hasOwn(value, field)) {
      kept[field] = copyJSON(value[field]);
    }
  }
  return kept;
}

/** The part of a valid cell's grader metadata that the student version keeps. */
export function publicCell(grader: JSONObject): JSONObject {
  return pick(grader, PUBLIC_CELL_FIELDS);
}

/** The student version's notebook grader metadata. */
export function publicNotebook(grader: JSONObject | null): JSONObject {
  const kept = pick(grader ?? {}, PUBLIC_NOTEBOOK_FIELDS);
  kept.version = METADATA_VERSION;
  kept.variant = 'student';
  return kept;
}
