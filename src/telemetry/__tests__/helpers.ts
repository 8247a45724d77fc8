import { ITelemetryRecord, newEventId } from '../record';

export function aRecord(
  overrides: Partial<ITelemetryRecord> = {}
): ITelemetryRecord {
  return {
    notebookId: 'a'.repeat(32),
    version: 3,
    cellId: 'cell-1',
    fingerprint: 'b'.repeat(64),
    success: true,
    durationMs: 12,
    timestamp: new Date().toISOString(),
    eventId: newEventId(),
    ...overrides
  };
}

/** An in-memory `Storage`, shared by the outboxes of one test like one browser's. */
export class MemoryStorage implements Storage {
  get length(): number {
    return this._items.size;
  }
  clear(): void {
    this._items.clear();
  }
  getItem(key: string): string | null {
    return this._items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this._items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this._items.delete(key);
  }
  setItem(key: string, value: string): void {
    this._items.set(key, String(value));
  }
  private _items = new Map<string, string>();
}
