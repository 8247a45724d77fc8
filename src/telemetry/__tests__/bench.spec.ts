import { PageConfig } from '@jupyterlab/coreutils';

import { BENCH_GLOBAL, BENCH_OPTION, benchSwitch } from '../bench';

function outbox() {
  const pending = ['a', 'b'];
  return {
    flushed: 0,
    pending,
    async flush() {
      this.flushed++;
      pending.length = 0;
    }
  };
}

const global = window as unknown as Record<string, unknown>;

describe('the bench switch', () => {
  afterEach(() => {
    PageConfig.setOption(BENCH_OPTION, '');
    delete global[BENCH_GLOBAL];
  });

  it('does not exist unless the server page config asks for it', () => {
    expect(benchSwitch(outbox())).toBeNull();
    PageConfig.setOption(BENCH_OPTION, 'false');
    expect(benchSwitch(outbox())).toBeNull();
    expect(BENCH_GLOBAL in global).toBe(false);
  });

  it('with the page config option, skips nothing at first and flushes the outbox', async () => {
    PageConfig.setOption(BENCH_OPTION, 'true');
    const box = outbox();
    const bench = benchSwitch(box);
    expect(bench).not.toBeNull();
    expect(global[BENCH_GLOBAL]).toBe(bench);
    expect(bench!.skip).toBe(false);
    expect(bench!.pending()).toBe(2);
    await bench!.flush();
    expect(box.flushed).toBe(1);
    expect(bench!.pending()).toBe(0);
  });
});
