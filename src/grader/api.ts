import { requestAPI } from '../common/request';

/*
 * Typed wrappers of the grading REST API (docs/api.md "Grading API") that the authoring
 * tools use. The UI calls these, never the request helper.
 */

/** `GET service/grading/policy`: who the server says this user is. */
export interface IGraderPolicy {
  user: string;
  instructor: boolean;
  maxNotebookBytes: number;
  apiVersion: number;
}

export function getPolicy(): Promise<IGraderPolicy> {
  return requestAPI<IGraderPolicy>('service/grading/policy');
}
