import { statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { questionCache } from '../../../src/cli/context';
import { tempDir } from '../helpers';

describe("the CLI's parsed-question cache folder", () => {
  it('is a private folder under XDG_CACHE_HOME', async () => {
    const base = await tempDir();
    const dir = questionCache({ XDG_CACHE_HOME: base });
    expect(dir).toBe(path.join(base, 'mlops-labs', 'questions'));
    expect(statSync(dir ?? '').mode & 0o077).toBe(0);
  });

  it('is none, not an error, when it cannot be made (the CLI then parses every question)', async () => {
    const base = await tempDir();
    writeFileSync(path.join(base, 'mlops-labs'), 'a file where the folder would go');
    expect(questionCache({ XDG_CACHE_HOME: base })).toBeUndefined();
  });
});
