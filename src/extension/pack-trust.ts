import type * as vscode from 'vscode';
import type { Pack } from '../core/catalog/types';
import type { Content } from './content';

const KEY = 'mlopsLabs.trustedPacks';

/**
 * Trust for packs that arrive as zips: their labs run code only once the user has said yes to a prompt
 * naming the pack and its author. Trust is given to the zip's SHA-256, so a changed zip asks again.
 * Folder packs are the user's own files, like any folder they open, and the built-in pack ships with the
 * extension.
 */
export class PackTrust {
  constructor(
    private readonly memento: vscode.Memento,
    private readonly content: Content,
    private readonly confirm: (message: string, detail: string, action: string) => Thenable<boolean>,
  ) {}

  isTrusted(packId: string): boolean {
    const source = this.content.source(packId);
    return !source?.sha256 || this.trusted().includes(source.sha256);
  }

  /** True when the pack may run code, asking the user first if it has not been trusted yet. */
  async ensure(pack: Pack): Promise<boolean> {
    if (this.isTrusted(pack.id)) return true;
    const ok = await this.confirm(
      `Trust the lab pack "${pack.name}" ${pack.version} by ${pack.author}?`,
      `Its labs run code on this computer when you start them, run their tests or submit. Trust it only if you know who sent it. Its questions can be read either way.\n\nFrom: ${this.content.source(pack.id)?.source ?? pack.dir}`,
      'Trust Pack',
    );
    if (ok) await this.grant(pack.id);
    return ok;
  }

  async grant(packId: string): Promise<void> {
    const sha = this.content.source(packId)?.sha256;
    if (sha && !this.trusted().includes(sha)) await this.memento.update(KEY, [...this.trusted(), sha]);
  }

  private trusted(): string[] {
    const value = this.memento.get<unknown>(KEY);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }
}
