import { describe, expect, it } from 'vitest';
import { buildQuestionPage, type QuestionPageModel } from '../../../src/render/page';
import {
  MAX_ANSWER_LENGTH,
  MAX_COPY_LENGTH,
  MAX_KEY_POINTS,
  parsePanelMessage,
  parsePanelState,
  parseReportHostMessage,
  parseReportMessage,
  MAX_REPORT_HTML,
  parseReportState,
  RATINGS,
  ReadyQueue,
  REPORT_ACTIONS,
} from '../../../src/render/protocol';
import { buildReportMissingPage, buildReportPage, type ReportPageModel } from '../../../src/render/report-page';

const malformed: [unknown][] = [
  [null],
  [undefined],
  ['ready'],
  [42],
  [[{ type: 'ready' }]],
  [{}],
  [{ type: 42 }],
  [{ type: 'constructor' }],
  [{ type: '__proto__' }],
];

describe('question panel messages', () => {
  it.each([[{ type: 'reveal' }], [{ type: 'ready' }], [{ type: 'pin' }], [{ type: 'navigate', direction: -1 }], [{ type: 'navigate', direction: 1 }]])(
    'accepts %j',
    (message) => {
      expect(parsePanelMessage(message)).toEqual(message);
    },
  );

  it.each(RATINGS.map((rating) => [rating]))('accepts the rating %s', (rating) => {
    expect(parsePanelMessage({ type: 'rate', rating })).toEqual({ type: 'rate', rating });
  });

  it('accepts a copy up to the limit and a lab by its qualified id', () => {
    expect(parsePanelMessage({ type: 'copy', text: 'print(1)' })).toEqual({ type: 'copy', text: 'print(1)' });
    expect(parsePanelMessage({ type: 'copy', text: 'x'.repeat(MAX_COPY_LENGTH) })).toBeDefined();
    expect(parsePanelMessage({ type: 'openLab', labId: 'core/zero-memory' })).toEqual({ type: 'openLab', labId: 'core/zero-memory' });
  });

  it('drops extra fields it does not know', () => {
    expect(parsePanelMessage({ type: 'reveal', evil: true })).toEqual({ type: 'reveal' });
    expect(parsePanelMessage({ type: 'rate', rating: 'good', at: 'yesterday' })).toEqual({ type: 'rate', rating: 'good' });
  });

  it.each<[unknown]>([
    ...malformed,
    [{ type: 'delete-everything' }],
    [{ type: 'hint' }],
    [{ type: 'rate', rating: 'perfect' }],
    [{ type: 'rate', rating: 'Good' }],
    [{ type: 'rate', rating: 3 }],
    [{ type: 'rate' }],
    [{ type: 'navigate', direction: 2 }],
    [{ type: 'navigate', direction: '1' }],
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
    expect(parsePanelState({ questionId: 'core/a', revealed: 'yes' })).toEqual({ questionId: 'core/a', revealed: false, pinned: false });
    expect(parsePanelState({ questionId: '<script>' })).toBeUndefined();
    expect(parsePanelState(undefined)).toBeUndefined();
  });
});

describe('answer-first messages', () => {
  it.each([
    [{ type: 'reveal', answer: 'ZeRO shards optimizer state' }],
    [{ type: 'reveal', answer: '' }],
    [{ type: 'reveal', answer: 'x'.repeat(MAX_ANSWER_LENGTH) }],
    [{ type: 'draft', text: '## Outline\n- stage 1' }],
    [{ type: 'draft', text: '' }],
    [{ type: 'rate', rating: 'hard', ticked: [0, 2] }],
    [{ type: 'rate', rating: 'again', ticked: [] }],
    [{ type: 'rate', rating: 'good', ticked: [MAX_KEY_POINTS - 1] }],
  ])('accepts %j', (message) => {
    expect(parsePanelMessage(message)).toEqual(message);
  });

  it('drops extra fields of the new messages', () => {
    expect(parsePanelMessage({ type: 'draft', text: 'a', questionId: 'core/other' })).toEqual({ type: 'draft', text: 'a' });
    expect(parsePanelMessage({ type: 'rate', rating: 'good', ticked: [1], suggested: 'easy' })).toEqual({ type: 'rate', rating: 'good', ticked: [1] });
  });

  it.each<[unknown]>([
    [{ type: 'draft' }],
    [{ type: 'draft', text: 42 }],
    [{ type: 'draft', text: ['a'] }],
    [{ type: 'draft', text: 'x'.repeat(MAX_ANSWER_LENGTH + 1) }],
    [{ type: 'reveal', answer: 42 }],
    [{ type: 'reveal', answer: null }],
    [{ type: 'reveal', answer: 'x'.repeat(MAX_ANSWER_LENGTH + 1) }],
    [{ type: 'rate', rating: 'good', ticked: 'all' }],
    [{ type: 'rate', rating: 'good', ticked: [0, 0] }],
    [{ type: 'rate', rating: 'good', ticked: [-1] }],
    [{ type: 'rate', rating: 'good', ticked: [1.5] }],
    [{ type: 'rate', rating: 'good', ticked: ['1'] }],
    [{ type: 'rate', rating: 'good', ticked: [MAX_KEY_POINTS] }],
    [{ type: 'rate', rating: 'good', ticked: Array.from({ length: MAX_KEY_POINTS + 1 }, (_, i) => i) }],
    [{ type: 'rate', rating: 'perfect', ticked: [0] }],
  ])('rejects %j', (message) => {
    expect(parsePanelMessage(message)).toBeUndefined();
  });

  it('keeps a saved draft in the panel state only when it is text within the limit', () => {
    expect(parsePanelState({ questionId: 'core/a', draft: 'half an answer' })).toEqual({
      questionId: 'core/a',
      revealed: false,
      pinned: false,
      draft: 'half an answer',
    });
    expect(parsePanelState({ questionId: 'core/a', draft: 7 })).toEqual({ questionId: 'core/a', revealed: false, pinned: false });
    expect(parsePanelState({ questionId: 'core/a', draft: 'x'.repeat(MAX_ANSWER_LENGTH + 1) })).toEqual({
      questionId: 'core/a',
      revealed: false,
      pinned: false,
    });
  });
});

describe('report panel messages', () => {
  it.each(REPORT_ACTIONS.map((action) => [action]))('accepts the action %s', (action) => {
    expect(parseReportMessage({ type: action })).toEqual({ type: action });
  });

  it('accepts ready and shown, and drops extra fields', () => {
    expect(parseReportMessage({ type: 'ready' })).toEqual({ type: 'ready' });
    expect(parseReportMessage({ type: 'shown', main: '<main>' })).toEqual({ type: 'shown' });
    expect(parseReportMessage({ type: 'submit', labId: 'core/other' })).toEqual({ type: 'submit' });
  });

  it.each<[unknown]>([...malformed, [{ type: 'delete' }], [{ type: 'HINT' }], [{ type: 'reveal' }], [{ type: 'rate', rating: 'good' }], [{ action: 'hint' }]])(
    'rejects %j',
    (message) => {
      expect(parseReportMessage(message)).toBeUndefined();
    },
  );

  it('reads back the saved report state (the lab id only), and rejects a forged one', () => {
    expect(parseReportState({ labId: 'core/zero-memory' })).toEqual({ labId: 'core/zero-memory' });
    expect(parseReportState({ labId: 'core/zero-memory', html: '<script>' })).toEqual({ labId: 'core/zero-memory' });
    for (const forged of [undefined, null, 'core/zero-memory', [], {}, { labId: 7 }, { labId: '../x' }, { labId: 'core/<b>' }, { labId: 'zero-memory' }])
      expect(parseReportState(forged)).toBeUndefined();
  });
});

describe('what the host posts to the report page', () => {
  const state = { labId: 'core/zero-memory' };
  it('is a grading note or a report main with its state', () => {
    expect(parseReportHostMessage({ type: 'grading', labTitle: 'ZeRO' })).toEqual({ type: 'grading', labTitle: 'ZeRO' });
    expect(parseReportHostMessage({ type: 'report', main: '<main class="report">x</main>', state, extra: 1 })).toEqual({
      type: 'report',
      main: '<main class="report">x</main>',
      state,
    });
  });

  it.each<[unknown]>([
    ...malformed,
    [{ type: 'grading' }],
    [{ type: 'grading', labTitle: 'x'.repeat(201) }],
    [{ type: 'report', main: '<main></main>' }],
    [{ type: 'report', main: '<main></main>', state: { labId: '../x' } }],
    [{ type: 'report', main: '<script>alert(1)</script>', state }],
    [{ type: 'report', main: `<main>${'x'.repeat(MAX_REPORT_HTML)}</main>`, state }],
    [{ type: 'report', main: 7, state }],
    [{ type: 'reload' }],
  ])('drops %j', (message) => {
    expect(parseReportHostMessage(message)).toBeUndefined();
  });
});

describe('the pages post only what the protocol lists', () => {
  const res = { nonce: 'N0nce', cspSource: 'https://webview.test', styleUri: 'https://webview.test/s.css', scriptUri: 'https://webview.test/s.js' };

  it('the question page has one button per rating, keyed 1 to 4 in list order', () => {
    const model: QuestionPageModel = {
      questionId: 'core/a',
      title: 'A',
      sectionTitle: 'S',
      difficulty: 'junior',
      tags: [],
      state: 'new',
      position: { index: 0, total: 1 },
      labs: [],
      revealed: true,
      pinned: false,
    };
    const parts = { context: '', shortAnswer: '', keyPoints: '', answer: '', pitfalls: '', followUps: '', sources: '', css: '' };
    const page = buildQuestionPage(model, parts, res);
    const buttons = [...page.matchAll(/data-rating="([^"]*)"[^>]*aria-keyshortcuts="(\d)"/g)].map((m) => [m[1], Number(m[2])]);
    expect(buttons).toEqual(RATINGS.map((rating, i) => [rating, i + 1]));
  });

  it('the report page offers every action, and saves the lab id as its state', () => {
    const model: ReportPageModel = {
      labTitle: 'Lab',
      labId: 'core/zero-memory',
      status: 'fail',
      points: 1,
      maxPoints: 2,
      message: null,
      durationMs: 1,
      gradedAt: 'today',
      tasks: [],
      failures: [],
      hints: { shown: [], remaining: 1 },
      protections: '',
      canShowSolution: true,
    };
    const page = buildReportPage(model, res);
    const actions = [...page.matchAll(/data-action="([^"]*)"/g)].map((m) => m[1]);
    expect([...actions].sort()).toEqual([...REPORT_ACTIONS].sort());
    const state = /<body data-state="([^"]*)">/.exec(page)?.[1]?.replace(/&quot;/g, '"');
    expect(parseReportState(JSON.parse(state ?? 'null'))).toEqual({ labId: 'core/zero-memory' });
  });

  it('the not-found report page says so under the same CSP, with nothing to run', () => {
    const page = buildReportMissingPage('core/<gone>', res);
    expect(page).toContain('Grade report not found');
    expect(page).toContain('core/&lt;gone&gt;');
    expect(page).toContain("default-src 'none'");
    expect(page).not.toContain('<script');
    expect(buildReportMissingPage(undefined, res)).toContain('This grade report can no longer be found');
  });
});

describe('the ready handshake', () => {
  it('holds messages until the page is ready, then sends them in order', () => {
    const sent: number[] = [];
    const queue = new ReadyQueue<number>((m) => sent.push(m));
    queue.post(1);
    queue.post(2);
    expect(sent).toEqual([]);
    expect(queue.isReady).toBe(false);
    queue.open();
    expect(sent).toEqual([1, 2]);
    queue.post(3);
    expect(sent).toEqual([1, 2, 3]);
  });

  it('holds again while the page is away, and keeps what waited', () => {
    const sent: string[] = [];
    const queue = new ReadyQueue<string>((m) => sent.push(m));
    queue.open();
    queue.pause();
    queue.post('while hidden');
    expect(sent).toEqual([]);
    queue.open();
    expect(sent).toEqual(['while hidden']);
  });

  it('drops what was meant for a page that a new one replaced', () => {
    const sent: string[] = [];
    const queue = new ReadyQueue<string>((m) => sent.push(m));
    queue.post('stale');
    queue.reset();
    queue.post('fresh');
    queue.open();
    expect(sent).toEqual(['fresh']);
  });
});
