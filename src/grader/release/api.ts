/**
 * Typed wrappers of the release endpoints (docs/api.md "Grading API"):
 * `POST service/grading/assignments`, `GET|PUT service/grading/assignments/{id}`.
 */
import { requestAPI } from '../../common/request';
import type { IFinding } from '../rules/analysis';
import type { JSONObject } from '../rules/data';
import type { Counted, IAssignment, RevealPolicy } from '../student/api';

export type Reveal = RevealPolicy;
/** The assignment as the service describes it (the same shape students read). */
export type IAssignmentSummary = IAssignment;

/** The release fields besides the notebook (null clears an optional one). */
export interface IReleasePolicy {
  title: string;
  deadline: string | null;
  lateUntil: string | null;
  latePenalty: number;
  reveal: Reveal;
  counted: Counted;
}

/** A release's reply: the assignment, with lint's warnings. */
export interface IReleased extends IAssignmentSummary {
  findings: IFinding[];
}

const BASE = 'service/grading/assignments';

export function getAssignment(id: string): Promise<IAssignmentSummary> {
  return requestAPI<IAssignmentSummary>(`${BASE}/${encodeURIComponent(id)}`);
}

export function release(
  policy: IReleasePolicy,
  notebook: JSONObject
): Promise<IReleased> {
  return requestAPI<IReleased>(BASE, {
    method: 'POST',
    body: JSON.stringify({ ...policy, notebook })
  });
}

/** A new version of assignment `id`, if it is still at `version` (else 409). */
export function rerelease(
  id: string,
  version: number,
  policy: IReleasePolicy,
  notebook: JSONObject
): Promise<IReleased> {
  return requestAPI<IReleased>(`${BASE}/${encodeURIComponent(id)}`, {
    method: 'PUT',
    headers: { 'If-Match': `"v${version}"` },
    body: JSON.stringify({ ...policy, notebook })
  });
}
