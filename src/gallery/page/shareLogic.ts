import { rovingTarget } from '../panel/roving';
import type { IPrincipal, IShare, ShareAccess } from '../sharingTypes';

/*
 * The share dialog's logic, apart from React: what a draft changes, carrying a draft over
 * onto shares someone else changed meanwhile, and the pickers' keyboard.
 */

/** One key per principal: a user and a group may have the same name. */
export function principalKey(principal: IPrincipal): string {
  return `${principal.kind}:${principal.name}`;
}

/** The same principals with the same access, in any order. */
export function sameShares(
  a: readonly IShare[],
  b: readonly IShare[]
): boolean {
  if (a.length !== b.length) {
    return false;
  }
  const access = new Map(a.map(share => [principalKey(share), share.access]));
  return b.every(share => access.get(principalKey(share)) === share.access);
}

export interface ISharePlan {
  /** New shares and changed access (PUT). */
  put: IShare[];
  /** Shares the draft dropped (DELETE). */
  remove: IPrincipal[];
}

/** The writes that turn `saved` into `draft`. */
export function planShares(
  saved: readonly IShare[],
  draft: readonly IShare[]
): ISharePlan {
  const before = new Map(saved.map(share => [principalKey(share), share]));
  const after = new Set(draft.map(principalKey));
  return {
    put: draft.filter(
      share => before.get(principalKey(share))?.access !== share.access
    ),
    remove: saved
      .filter(share => !after.has(principalKey(share)))
      .map(({ kind, name }) => ({ kind, name }))
  };
}

/**
 * The draft's own changes (against `base`, what it started from) applied to `current`,
 * what the service holds now: someone else's changes stay, the user's are not lost.
 */
export function rebaseShares(
  base: readonly IShare[],
  current: readonly IShare[],
  draft: readonly IShare[]
): IShare[] {
  const plan = planShares(base, draft);
  const removed = new Set(plan.remove.map(principalKey));
  const put = new Map(plan.put.map(share => [principalKey(share), share]));
  const out = current
    .filter(share => !removed.has(principalKey(share)))
    .map(share => put.get(principalKey(share)) ?? share);
  const present = new Set(out.map(principalKey));
  for (const share of plan.put) {
    if (!present.has(principalKey(share))) {
      out.push(share);
    }
  }
  return out;
}

/** `draft` with `principal` added at `access`, or its access changed if it is there. */
export function withShare(
  draft: readonly IShare[],
  principal: IPrincipal,
  access: ShareAccess
): IShare[] {
  const key = principalKey(principal);
  if (draft.some(share => principalKey(share) === key)) {
    return draft.map(share =>
      principalKey(share) === key ? { ...share, access } : share
    );
  }
  return [...draft, { kind: principal.kind, name: principal.name, access }];
}

/**
 * The option a key makes active in a listbox of `count` options (ARIA combobox pattern):
 * from none (-1) the arrows enter at the first or last option, then move as in every list
 * of the gallery (`rovingTarget`: stop at the ends, Home/End jump); null: not a list key.
 */
export function moveActive(
  key: string,
  active: number,
  count: number
): number | null {
  if (count > 0 && active < 0 && (key === 'ArrowDown' || key === 'ArrowUp')) {
    return key === 'ArrowDown' ? 0 : count - 1;
  }
  return rovingTarget(key, active, count);
}

/**
 * What Enter adds: the active option, else the one option whose name is exactly what was
 * typed, else (a name the directory did not offer) a user of that name, which the service
 * accepts or refuses clearly when saving. Nothing for empty text.
 */
export function pickOnEnter(
  text: string,
  options: readonly IPrincipal[],
  active: number
): IPrincipal | null {
  if (active >= 0 && active < options.length) {
    return options[active];
  }
  const typed = text.trim();
  if (!typed) {
    return null;
  }
  const exact = options.filter(option => option.name === typed);
  return exact.length === 1 ? exact[0] : { kind: 'user', name: typed };
}
