// The extension under test and its test surface, shared by the integration test files.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MlopsLabsApi, TestSurface } from '../../../src/extension/api';

export const EXTENSION_ID = 'mlops-interview-labs.mlops-interview-labs';

/** Activates the extension (once; later calls return the same surface) and returns what it gives in test mode. */
export async function api(): Promise<TestSurface> {
  const extension = vscode.extensions.getExtension<MlopsLabsApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  const { testing } = await extension.activate();
  assert.ok(testing, 'the test surface is given in test mode');
  return testing;
}
