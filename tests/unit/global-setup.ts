import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** The grader's child runs the bundled harness, so the unit tests build dist/ once first. */
export default function setup(): void {
  execFileSync(process.execPath, [path.resolve(__dirname, '../../esbuild.config.mjs')], { stdio: 'ignore' });
}
