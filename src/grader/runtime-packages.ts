/**
 * The runtime packages a lab's tests may load (onnxruntime-node for the ONNX labs): where this build has them, the
 * folders the grading child may read, and the absolute paths test bundles require them by.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { Lab } from '../core/catalog/types';

const localRequire = createRequire(__filename);

/** Thrown when a lab needs a runtime package this build does not carry (the targetless .vsix has no onnxruntime). */
export class MissingRuntimeError extends Error {}

/** Folders of the runtime packages a lab's tests may load (read access is granted to exactly these). */
export function runtimePackageDirs(lab: Lab): Record<string, string> {
  if (!lab.runtime.onnxruntime) return {};
  try {
    const node = packageDir(localRequire.resolve('onnxruntime-node'), 'onnxruntime-node');
    const common = packageDir(localRequire.resolve('onnxruntime-common', { paths: [node] }), 'onnxruntime-common');
    return { 'onnxruntime-node': node, 'onnxruntime-common': common };
  } catch {
    throw new MissingRuntimeError(
      `the lab "${lab.id}" runs ONNX models with onnxruntime-node, which this build of the extension does not include: install the build for your platform`,
    );
  }
}

/** The package's folder from a file resolved inside it (not every package exports its package.json). */
function packageDir(resolved: string, name: string): string {
  const marker = `${path.sep}node_modules${path.sep}${name}${path.sep}`;
  const at = resolved.lastIndexOf(marker);
  if (at < 0) throw new Error(`cannot find the folder of ${name} from ${resolved}`);
  return resolved.slice(0, at + marker.length - 1);
}

/** Tests require runtime packages by name; the bundle requires them by absolute path instead. */
export function runtimeAliases(lab: Lab): Record<string, string> {
  const dirs = runtimePackageDirs(lab);
  return dirs['onnxruntime-node'] ? { 'onnxruntime-node': localRequire.resolve('onnxruntime-node', { paths: [dirs['onnxruntime-node']] }) } : {};
}
