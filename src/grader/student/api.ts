/**
 * Typed wrappers of the grading API a student uses (docs/api.md, "Grading API"):
 * assignments, their student copies, submissions and their results.
 */
import { requestAPI, requestReply } from '../../common/request';

export type RevealPolicy =
  'test-code-and-message' | 'message-only' | 'score-only';

export interface IAssignmentExercise {
  id: string;
  title: string | null;
  points: number;
}

/** `GET grading/assignments` items (students see no instructor field). */
/** Which of a student's graded submissions counts (the assignment's policy). */
export type Counted = 'latest' | 'best';

export interface IAssignment {
  id: string;
  title: string;
  course: string | null;
  version: number;
  releasedAt: string | null;
  deadline: string | null;
  lateUntil: string | null;
  latePenalty: number;
  reveal: RevealPolicy;
  /** which graded submission the gradebook counts (absent from older services: latest) */
  counted?: Counted;
  points: number;
  exercises: IAssignmentExercise[];
}

export type SubmissionState = 'queued' | 'graded' | 'failed';

export interface ITestResult {
  exercise: string;
  points: number;
  passed: boolean;
  /** failing tests only: the tests cell's message (not under score-only) */
  message?: string;
  /** failing tests only, under test-code-and-message: what the check found */
  detail?: string;
  line?: number | null;
}

export interface IExerciseScore {
  score: number | null;
  points: number;
  /** an instructor's comment on a marked exercise (not under score-only) */
  comment?: string;
}

/** `GET grading/submissions/{id}`, as a student sees it. */
export interface ISubmission {
  id: string;
  assignmentId: string;
  assignmentVersion: number;
  submittedAt: string;
  contentHash: string;
  late: boolean;
  state: SubmissionState;
  score: number | null;
  points: number | null;
  gradedAt?: string | null;
  exercises?: Record<string, IExerciseScore>;
  penalty?: number;
  tests?: ITestResult[];
  notes?: string[];
}

const BASE = 'service/grading';

export async function listAssignments(): Promise<IAssignment[]> {
  const reply = await requestAPI<{ items: IAssignment[] }>(
    `${BASE}/assignments`
  );
  return reply.items;
}

export function getAssignment(id: string): Promise<IAssignment> {
  return requestAPI<IAssignment>(
    `${BASE}/assignments/${encodeURIComponent(id)}`
  );
}

/** The student version of the latest release (a notebook; it names its assignment). */
export function getStudentCopy(id: string): Promise<Record<string, unknown>> {
  return requestAPI<Record<string, unknown>>(
    `${BASE}/assignments/${encodeURIComponent(id)}/student`
  );
}

/** One's own submissions of an assignment, newest first. */
export async function listSubmissions(id: string): Promise<ISubmission[]> {
  const reply = await requestAPI<{ items: ISubmission[] }>(
    `${BASE}/assignments/${encodeURIComponent(id)}/submissions`
  );
  return reply.items;
}

export function getSubmission(id: string): Promise<ISubmission> {
  return requestAPI<ISubmission>(
    `${BASE}/submissions/${encodeURIComponent(id)}`,
    { cache: 'no-store' }
  );
}

/** A refusal the student can act on, with what the service said. */
export interface ISubmitRefusal {
  status: number;
  reason: string;
  message: string;
  /** seconds until the rate limit lets the next submission through */
  retryAfter: number | null;
}

/**
 * `POST grading/assignments/{id}/submissions`: the receipt, or the refusal (closed,
 * limits) read in full; other failures throw as every request does.
 */
export async function submit(
  id: string,
  notebook: unknown
): Promise<{ receipt: ISubmission } | { refused: ISubmitRefusal }> {
  const reply = await requestReply<Record<string, unknown>>(
    `${BASE}/assignments/${encodeURIComponent(id)}/submissions`,
    {
      method: 'POST',
      body: JSON.stringify({ notebook }),
      accept: [403, 429]
    }
  );
  if (reply.status === 403 || reply.status === 429) {
    const body = reply.body ?? {};
    return {
      refused: {
        status: reply.status,
        reason: typeof body.reason === 'string' ? body.reason : '',
        message: typeof body.message === 'string' ? body.message : '',
        retryAfter: typeof body.retryAfter === 'number' ? body.retryAfter : null
      }
    };
  }
  return { receipt: reply.body as unknown as ISubmission };
}
