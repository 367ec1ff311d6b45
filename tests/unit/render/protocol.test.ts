import { describe, expect, it } from 'vitest';
import { MAX_COPY_LENGTH, parsePanelMessage, parsePanelState } from '../../../src/render/protocol';

describe('webview messages', () => {
  it.each([
    [{ type: 'reveal' }],
    [{ type: 'ready' }],
    [{ type: 'pin' }],
    [{ type: 'rate', rating: 'good' }],
    [{ type: 'navigate', direction: -1 }],
    [{ type: 'copy', text: 'print(1)' }],
    [{ type: 'openLab', labId: 'core/zero-memory' }],
  ])('accepts %j', (message) => {
    expect(parsePanelMessage(message)).toEqual(message);
  });

  it('drops extra fields it does not know', () => {
    expect(parsePanelMessage({ type: 'reveal', evil: true })).toEqual({ type: 'reveal' });
  });

  it.each([
    [null],
    ['reveal'],
    [{ type: 'delete-everything' }],
    [{ type: 'rate', rating: 'perfect' }],
    [{ type: 'rate' }],
    [{ type: 'navigate', direction: 2 }],
    [{ type: 'copy', text: 42 }],
    [{ type: 'copy', text: 'x'.repeat(MAX_COPY_LENGTH + 1) }],
    [{ type: 'openLab', labId: '../../etc/passwd' }],
    [{ type: 'openLab', labId: 'zero-memory' }],
  ])('rejects %j', (message) => {
    expect(parsePanelMessage(message)).toBeUndefined();
  });

  it('reads back the saved panel state, and rejects a forged one', () => {
    expect(parsePanelState({ questionId: 'core/a', revealed: true, pinned: false })).toEqual({ questionId: 'core/a', revealed: true, pinned: false });
    expect(parsePanelState({ questionId: 'core/a' })).toEqual({ questionId: 'core/a', revealed: false, pinned: false });
    expect(parsePanelState({ questionId: '<script>' })).toBeUndefined();
    expect(parsePanelState(undefined)).toBeUndefined();
  });
});
