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

/** The first time a lab workspace opens, show the README beside the starter. */
export async function showLabFiles(session: LabSession, memento: vscode.Memento): Promise<void> {
  const key = `mlopsLabs.opened:${session.dir}`;
  if (memento.get<boolean>(key)) return;
  await memento.update(key, true);
  const { readFolder } = loadCore();
  const starter = [...(await readFolder(path.join(session.lab.dir, 'starter'))).keys()][0];
  const file = starter ? vscode.Uri.file(path.join(session.dir, 'src', starter)) : undefined;
  if (file) await vscode.window.showTextDocument(file, { viewColumn: vscode.ViewColumn.One });
  await vscode.commands.executeCommand('markdown.showPreviewToSide', vscode.Uri.file(path.join(session.dir, 'README.md')));
  // The preview takes focus; hand it back to the code the candidate is about to write.
  if (file) await vscode.window.showTextDocument(file, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
}
