import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { getPolicy } from './api';
import type { IGalleryPolicy } from './types';

import '../../style/gallery-reviews.css';

/*
 * The verified badge (results, a notebook's page) and the "Verified only" filter. A
 * notebook is verified when every review kind the admin enabled approved its current
 * content (docs/gallery.md, "Reviews and verified notebooks").
 */

let policy: Promise<IGalleryPolicy> | null = null;

/**
 * The gallery policy, asked once per page load (review kinds change only with the
 * service's configuration); a failed request is asked again next time.
 */
export function reviewPolicy(): Promise<IGalleryPolicy> {
  if (policy === null) {
    // Asked in a microtask: a synchronous failure becomes a rejection too.
    policy = Promise.resolve().then(getPolicy);
    policy.catch(() => {
      policy = null;
    });
  }
  return policy;
}

/** For tests: forget the policy. */
export function resetReviewPolicy(): void {
  policy = null;
}

/**
 * The policy once known (null before, or when it cannot be read).
 */
export function useReviewPolicy(): IGalleryPolicy | null {
  const [value, setValue] = React.useState<IGalleryPolicy | null>(null);
  React.useEffect(() => {
    let live = true;
    reviewPolicy()
      .then(p => live && setValue(p ?? null))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return value;
}

/**
 * Whether the gallery has review kinds (else nothing is ever verified). A service from
 * before reviews sends no `reviewKinds`: off.
 */
export function reviewsEnabled(p: IGalleryPolicy | null): boolean {
  return Object.keys(p?.reviewKinds ?? {}).length > 0;
}

/**
 * "Verified" in the success colour with a check mark, for a verified notebook; nothing
 * otherwise. The text says it, not only the colour; the title says what it means.
 */
export function VerifiedBadge(props: {
  verified: boolean | undefined;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { verified, trans } = props;
  if (!verified) {
    return null;
  }
  return (
    <span
      className="jp-Atrium-Gallery-verified"
      title={trans.__('Every review approved the current version')}
    >
      <span aria-hidden="true">✓ </span>
      {trans.__('Verified')}
    </span>
  );
}

/**
 * The filter row's "Verified only" checkbox, shown when the gallery has reviews.
 */
export function VerifiedOnlyFilter(props: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { checked, onChange, trans } = props;
  const current = useReviewPolicy();
  if (!reviewsEnabled(current) && !checked) {
    return null;
  }
  return (
    <label className="jp-Atrium-Gallery-filterVerified">
      <input
        type="checkbox"
        checked={checked}
        onChange={event => onChange(event.target.checked)}
      />
      {trans.__('Verified only')}
    </label>
  );
}
