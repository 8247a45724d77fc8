/**
 * Lint as you type without linting on every keystroke: `poke()` on each model change,
 * `run` once the changes have paused for `delay` ms. A run is never started while the
 * previous one is in progress; a poke during a run schedules one more afterwards.
 */
export class LintScheduler {
  constructor(
    private readonly run: () => void | Promise<void>,
    private delay: number
  ) {}

  /** A change happened: lint once changes pause. */
  poke(): void {
    if (this._disposed) {
      return;
    }
    this._dirty = true;
    if (this._timer !== null) {
      clearTimeout(this._timer);
    }
    this._timer = setTimeout(() => {
      this._timer = null;
      void this.flush();
    }, this.delay);
  }

  /** Lint now if anything changed since the last run (and no run is going on). */
  async flush(): Promise<void> {
    if (this._disposed || this._running || !this._dirty) {
      return;
    }
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
    this._dirty = false;
    this._running = true;
    try {
      await this.run();
    } finally {
      this._running = false;
    }
    if (this._dirty && this._timer === null) {
      this.poke();
    }
  }

  setDelay(delay: number): void {
    this.delay = delay;
  }

  get pending(): boolean {
    return this._dirty;
  }

  dispose(): void {
    this._disposed = true;
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _dirty = false;
  private _running = false;
  private _disposed = false;
}
