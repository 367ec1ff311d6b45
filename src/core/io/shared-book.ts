/**
 * The in-memory view of a JSON file that several windows and the CLI share. Changes are operations applied
 * to the file as it stands (VersionedJsonFile.update, under its lock), never a write of this window's copy;
 * `refresh()` takes in what others wrote. Listeners hear the keys whose records differ, whoever changed them.
 */
import type { LoadNotice, VersionedJsonFile } from './json-file';

export abstract class SharedBook<D> {
  private readonly listeners = new Set<(keys: readonly string[]) => void>();
  private readonly noticeListeners = new Set<(notice: LoadNotice) => void>();

  protected constructor(
    protected readonly file: VersionedJsonFile<D>,
    protected data: D,
  ) {}

  /** The records compared to tell listeners what changed (questions by id, labs by id). */
  protected abstract records(data: D): Record<string, unknown>;

  /** Re-reads the file and tells listeners what another window changed. */
  async refresh(): Promise<void> {
    const loaded = await this.file.load();
    this.adopt(loaded.data);
    if (loaded.notice) this.tell(loaded.notice);
  }

  onDidChange(listener: (keys: readonly string[]) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Fires when a change could not be saved (storage turned read-only) or the file had to be recovered. */
  onNotice(listener: (notice: LoadNotice) => void): { dispose(): void } {
    this.noticeListeners.add(listener);
    return { dispose: () => this.noticeListeners.delete(listener) };
  }

  /** Applies `apply` (which may mutate its argument) to the file as it stands; resolves with the data as saved. */
  protected async change(apply: (data: D) => D | void): Promise<D> {
    const saved = await this.file.update((data) => apply(data) ?? data);
    this.adopt(saved.data);
    if (saved.notice) this.tell(saved.notice);
    return saved.data;
  }

  private adopt(next: D): void {
    const before = this.records(this.data);
    const after = this.records(next);
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    const changed = [...keys].filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
    this.data = next;
    if (changed.length === 0) return;
    for (const listener of this.listeners) listener(changed);
  }

  private tell(notice: LoadNotice): void {
    for (const listener of this.noticeListeners) listener(notice);
  }
}
