/*
 * Wire types of deprecation (docs/api.md, "Gallery API"; docs/gallery.md, "Deprecated
 * notebooks").
 */

/** A notebook to use instead; only those the requester may read are listed. */
export interface IAlternative {
  id: string;
  title: string;
}

/** A summary's `deprecation` (null: not deprecated). */
export interface IDeprecation {
  reason: string;
  /** The service refuses copies, downloads and new versions (423 `frozen`). */
  frozen: boolean;
  deprecatedAt: string;
  deprecatedBy: string;
  alternatives: IAlternative[];
}

/** `PUT …/deprecation`. */
export interface IDeprecateBody {
  reason: string;
  /** Gallery ids, in the order readers should consider them. */
  alternatives: string[];
  freeze: boolean;
}

/** The search's `deprecated` parameter (default: `exclude`, except mine / starred). */
export type DeprecatedMode = 'exclude' | 'include' | 'only';
