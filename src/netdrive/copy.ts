import { PathExt } from '@jupyterlab/coreutils';
import { Contents } from '@jupyterlab/services';

/** Files above this size are not copied through the browser (download/upload instead). */
export const MAX_COPY_BYTES = 256 * 1024 * 1024;

type ContentsLike = Pick<
  Contents.IManager,
  'get' | 'save' | 'driveName' | 'localPath'
>;

/** `dir` (a global path, maybe with a drive prefix) joined with `name`. */
export function joinGlobal(
  contents: ContentsLike,
  dir: string,
  name: string
): string {
  const drive = contents.driveName(dir);
  const local = PathExt.join(contents.localPath(dir), name);
  return drive ? `${drive}:${local}` : local;
}

export type CopyOutcome = 'copied' | 'exists' | 'too-large';

/**
 * Copy one file across drives (home ↔ network drive, or between two network drives),
 * which JupyterLab's own copy cannot do: read it as base64 and save it in the target
 * folder under the same name. Never overwrites: an existing target gives 'exists'.
 */
export async function copyAcross(
  contents: ContentsLike,
  source: Contents.IModel,
  targetDir: string
): Promise<{ outcome: CopyOutcome; path: string }> {
  const target = joinGlobal(contents, targetDir, source.name);
  if (typeof source.size === 'number' && source.size > MAX_COPY_BYTES) {
    return { outcome: 'too-large', path: target };
  }
  const exists = await contents.get(target, { content: false }).then(
    () => true,
    () => false
  );
  if (exists) {
    return { outcome: 'exists', path: target };
  }
  const model = await contents.get(source.path, {
    type: 'file',
    format: 'base64',
    content: true
  });
  await contents.save(target, {
    type: 'file',
    format: 'base64',
    content: model.content
  });
  return { outcome: 'copied', path: target };
}
