import {
  requestAPI,
  requestReply,
  requestResponse
} from '../../common/request';

/*
 * Typed wrappers of the gradebook's REST calls (docs/api.md, "Grading API"), all for
 * instructors. The gradebook's UI calls these, never the request helper.
 */

const GRADING = 'service/grading';

/** An instructor's mark on one exercise (who, when, and the ETag that names it). */
export interface IGradeMark {
  points: number;
  comment: string;
  by: string;
  at: string;
  etag: string;
}

/** One exercise's score in a submission: the autograde, or the mark that replaces it. */
export interface IExerciseScore {
  score: number | null;
  points: number;
  override?: boolean;
  autograde?: number;
  mark?: IGradeMark;
}

export interface IGradebookExercise {
  id: string;
  title: string | null;
  points: number;
  kind: 'autograded' | 'manual';
  /** Manual exercises: a written answer is Markdown, else code. */
  answerFormat?: 'code' | 'markdown';
}

export interface IGradebookStudent {
  user: string;
  /** The counted submission (the latest with an official grade). */
  submission: string;
  submissions: number;
  submittedAt: string;
  gradedAt: string | null;
  state: 'queued' | 'graded' | 'failed';
  late: boolean;
  maxScore: number;
  rawScore: number | null;
  penalty: number | null;
  score: number | null;
  exercises: Record<string, IExerciseScore>;
}

export interface IScoreDistribution {
  graded: number;
  mean: number | null;
  median: number | null;
  fullPoints: number;
  buckets: { from: number; to: number; count: number }[];
  /** Exercises: median submissions to full points (of those who got there). */
  medianAttempts?: number | null;
  mostCommonFailure?: {
    test: number;
    message: string;
    count: number;
  } | null;
}

export interface IGradebook {
  assignment: {
    id: string;
    title: string;
    deadline: string | null;
    points: number;
    exercises: IGradebookExercise[];
  };
  students: IGradebookStudent[];
  statistics: {
    exercises: Record<string, IScoreDistribution>;
    total: IScoreDistribution;
    medianSubmissions: number | null;
  };
}

export interface IAssignmentSummary {
  id: string;
  title: string;
  course?: string | null;
  version: number;
  deadline: string | null;
  points: number;
}

/** A submission as instructors read it: its grade and the answers as submitted. */
export interface ISubmissionView {
  id: string;
  user: string;
  state: 'queued' | 'graded' | 'failed';
  score: number | null;
  points: number;
  exercises?: Record<string, IExerciseScore>;
  answers?: Record<string, string>;
}

const path = (...parts: string[]): string =>
  [GRADING, ...parts.map(encodeURIComponent)].join('/');

export function listAssignments(): Promise<IAssignmentSummary[]> {
  return requestAPI<{ items: IAssignmentSummary[] }>(path('assignments')).then(
    reply => reply.items
  );
}

export function getGradebook(assignment: string): Promise<IGradebook> {
  return requestAPI<IGradebook>(path('assignments', assignment, 'gradebook'));
}

/** The CSV export (nbgrader's columns), as the service wrote it. */
export async function getGradebookCsv(assignment: string): Promise<Blob> {
  const response = await requestResponse(
    path('assignments', assignment, 'gradebook', 'csv')
  );
  return response.blob();
}

export function regrade(
  assignment: string
): Promise<{ queued: number; unchanged: number }> {
  return requestAPI(path('assignments', assignment, 'regrade'), {
    method: 'POST',
    body: '{}'
  });
}

export function getSubmission(submission: string): Promise<ISubmissionView> {
  return requestAPI<ISubmissionView>(path('submissions', submission));
}

/** What saving a mark came to: saved, or someone else's mark got there first. */
export type MarkOutcome =
  | { saved: true; submission: ISubmissionView }
  | { saved: false; message: string; current: IGradeMark | null };

/**
 * Set (or, with `points` null, remove) a mark, only over the mark the instructor saw:
 * `expected` is its ETag, or null when there was none (409 if it changed meanwhile).
 */
export async function setMark(
  submission: string,
  body: { exercise: string; points: number | null; comment: string },
  expected: string | null
): Promise<MarkOutcome> {
  const condition: Record<string, string> =
    expected === null ? { 'If-None-Match': '*' } : { 'If-Match': expected };
  const reply = await requestReply<
    ISubmissionView & {
      message?: string;
      current?: { mark: IGradeMark | null };
    }
  >(path('submissions', submission, 'marks'), {
    method: 'PUT',
    body: JSON.stringify(body),
    headers: condition,
    accept: [409]
  });
  if (reply.status === 409) {
    return {
      saved: false,
      message: reply.body?.message ?? '',
      current: reply.body?.current?.mark ?? null
    };
  }
  return { saved: true, submission: reply.body as ISubmissionView };
}
