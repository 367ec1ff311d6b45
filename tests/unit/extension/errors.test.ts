import { describe, expect, it } from 'vitest';
import { background, commandBoundary, SHOW_LOG } from '../../../src/extension/errors';

const tick = () => new Promise((r) => setTimeout(r, 0));

function fakes(choice: string | undefined) {
  const logged: string[] = [];
  const shown: { message: string; actions: string[] }[] = [];
  let revealed = 0;
  const failed: string[] = [];
  const deps = {
    log: { error: (m: string) => logged.push(m) },
    showError: (message: string, ...actions: string[]) => {
      shown.push({ message, actions });
      return Promise.resolve(choice);
    },
    showLog: () => void revealed++,
    onFailure: (id: string) => failed.push(id),
  };
  return { deps, logged, shown, failed, revealed: () => revealed };
}

describe('commandBoundary', () => {
  it('passes arguments through and returns the handler result', async () => {
    const { deps, logged } = fakes(undefined);
    const run = commandBoundary(deps)('x.add', async (a: number, b: number) => a + b);
    expect(await run(2, 3)).toBe(5);
    expect(logged).toEqual([]);
  });

  it('logs a rejected command with its stack and offers the log', async () => {
    const { deps, logged, shown, failed, revealed } = fakes(SHOW_LOG);
    const run = commandBoundary(deps)('x.fail', async () => {
      throw new Error('disk full');
    });
    await expect(run()).resolves.toBeUndefined();
    expect(logged[0]).toMatch(/^Command x\.fail failed: Error: disk full\n\s+at /);
    expect(shown).toEqual([{ message: 'MLOps Interview Labs: disk full', actions: [SHOW_LOG] }]);
    expect(failed).toEqual(['x.fail']);
    await tick();
    expect(revealed()).toBe(1);
  });

  it('catches a synchronous throw, and leaves the log closed when the message is dismissed', async () => {
    const { deps, logged, revealed } = fakes(undefined);
    const run = commandBoundary(deps)('x.sync', () => {
      throw 'plain string';
    });
    await run();
    await tick();
    expect(logged).toEqual(['Command x.sync failed: plain string']);
    expect(revealed()).toBe(0);
  });
});

describe('background', () => {
  it('logs a rejection under its name', async () => {
    const logged: string[] = [];
    background(Promise.reject(new Error('nope')), { error: (m) => logged.push(m) }, 'Refreshing the badge');
    await tick();
    expect(logged[0]).toMatch(/^Refreshing the badge failed: Error: nope/);
  });

  it('accepts a thenable that is not a Promise', async () => {
    const logged: string[] = [];
    const thenable = { then: (_ok: unknown, fail: (e: unknown) => void) => fail(new Error('thenable')) };
    background(thenable as PromiseLike<unknown>, { error: (m) => logged.push(m) }, 'A thenable');
    await tick();
    expect(logged[0]).toContain('thenable');
  });
});
