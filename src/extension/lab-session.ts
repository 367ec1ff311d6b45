import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Marker } from '../core/labs/workspace';
import type { Lab } from '../core/catalog/types';
import type { Content } from './content';
import { loadCore } from './lazy';

/** The lab workspace open in this window: a folder whose marker names a lab of a loaded pack. */
export interface LabSession {
  dir: string;
  marker: Marker;
  lab: Lab;
}

/** `dir`: the window's folder (its first workspace folder). */
export async function detectSession(content: Content, log: vscode.LogOutputChannel, dir: string): Promise<LabSession | undefined> {
  const marker = await loadCore().readMarker(dir);
  if (!marker) return undefined;
  const { catalog } = await content.get();
  const lab = catalog.lab(marker.lab);
  if (!lab) {
    log.warn(`This folder is a workspace for lab ${marker.lab}, which no loaded pack provides.`);
    return undefined;
  }
  if (lab.version !== marker.version) log.info(`Workspace started with ${marker.lab} ${marker.version}; the pack now has ${lab.version}.`);
  return { dir, marker, lab };
}

/** VS Code's built-in Markdown extension: its preview shows a lab's README. */
const MARKDOWN_EXTENSION = 'vscode.markdown-language-features';

/** Runs one named step of setting up a window, so its time can be noted (LabWorkspace.step). */
export type Step = <T>(name: string, work: () => T | PromiseLike<T>) => Promise<T>;

/**
 * The first time a lab workspace opens, show the README beside the starter. It reads only the folder itself (its
 * first file in src/, as Start Lab laid the starter out), so it runs before the catalog, the clock and the grader:
 * what the candidate sees first waits for nothing else.
 */
export async function showLabFiles(dir: string, memento: vscode.Memento, step: Step = async (_name, work) => work()): Promise<void> {
  const key = `mlopsLabs.opened:${dir}`;
  if (memento.get<boolean>(key)) return;
  // The preview belongs to VS Code's Markdown extension, which starts on its first use and takes seconds to do so in
  // a fresh window: start it now, while the starter opens, instead of after.
  const markdown = Promise.resolve(vscode.extensions.getExtension(MARKDOWN_EXTENSION)?.activate()).catch(() => undefined);
  await memento.update(key, true);
  const entries = await readdir(path.join(dir, 'src'), { withFileTypes: true }).catch(() => []);
  const starter = entries
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b))[0];
  const file = starter ? vscode.Uri.file(path.join(dir, 'src', starter)) : undefined;
  // vscode.open asks the workbench to open the editor in one step; showTextDocument first syncs the document to this
  // extension host, a round trip more while the window is starting.
  if (file) await step('show the starter', () => vscode.commands.executeCommand('vscode.open', file, { viewColumn: vscode.ViewColumn.One }));
  await step('start the Markdown extension (begun with the starter)', () => markdown);
  await step('show the README preview', () => vscode.commands.executeCommand('markdown.showPreviewToSide', vscode.Uri.file(path.join(dir, 'README.md'))));
  // The preview takes focus; hand it back to the code the candidate is about to write.
  if (file)
    await step('focus the starter again', () =>
      vscode.commands.executeCommand('vscode.open', file, { viewColumn: vscode.ViewColumn.One, preserveFocus: false }),
    );
}
