import { describe, expect, it } from 'vitest';
import { parseQuestionFile } from '../../../../src/core/questions/question-file';
import { questionFile } from '../../helpers';

const parse = (text: string, fileName = '01-sample-question.md', folderSection = 'training-frameworks') =>
  parseQuestionFile({ file: `/pack/questions/01-${folderSection}/${fileName}`, fileName, folderSection, packId: 'core', text });

describe('question files', () => {
  it('parses front matter and splits the body at its headings', () => {
    const result = parse(
      questionFile({
        labs: ['zero-memory'],
        body: 'Some context.\n\n## Short answer\n\nShort.\n\n## Answer\n\nLong.\n\n## Pitfalls\n\n- one\n\n## Follow-ups\n\n- next?\n',
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const q = result.question;
    expect(q.qualifiedId).toBe('core/sample-question');
    expect(q.order).toBe(1);
    expect(q.labIds).toEqual(['core/zero-memory']);
    expect(q.body).toEqual({ context: 'Some context.', shortAnswer: 'Short.', keyPoints: '', answer: 'Long.', pitfalls: '- one', followUps: '- next?' });
    expect(q.keyPoints).toEqual([]);
    expect(q.sources).toBeUndefined();
  });

  it('reads key points as one statement per bullet, and sources from the front matter', () => {
    const body = '## Short answer\n\nS.\n\n## Key points\n\n- Names the three stages.\n* Says what each shards.\n- Gives the 16 bytes per parameter.\n\n## Answer\n\nA.\n';
    const result = parse(questionFile({ body, extraFrontMatter: 'sources:\n  - https://arxiv.org/abs/1910.02054\n  - DeepSpeed source, deepspeed/runtime/zero/stage3.py\n' }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.question.keyPoints).toEqual(['Names the three stages.', 'Says what each shards.', 'Gives the 16 bytes per parameter.']);
    expect(result.question.sources).toEqual(['https://arxiv.org/abs/1910.02054', 'DeepSpeed source, deepspeed/runtime/zero/stage3.py']);
  });

  it.each([
    ['two statements', '- One.\n- Two.\n', /holds 2 statements; a question has 3 to 7/],
    ['eight statements', Array.from({ length: 8 }, (_, i) => `- Point ${i}.`).join('\n'), /holds 8 statements/],
    ['prose among the bullets', '- One.\n- Two.\nA paragraph.\n- Three.\n', /must be a bullet list only/],
  ])('refuses key points with %s', (_what, points, reason) => {
    const result = parse(questionFile({ body: `## Short answer\n\nS.\n\n## Key points\n\n${points}\n## Answer\n\nA.\n` }));
    expect(result.ok ? [] : result.errors).toEqual([expect.stringMatching(reason)]);
  });

  it('wants key points between the short answer and the answer', () => {
    const result = parse(questionFile({ body: '## Short answer\n\nS.\n\n## Answer\n\nA.\n\n## Key points\n\n- a\n- b\n- c\n' }));
    expect(result.ok ? [] : result.errors).toEqual(['heading "## Key points" is out of order or repeated']);
  });

  it('refuses an empty sources list', () => {
    const result = parse(questionFile({ extraFrontMatter: 'sources: []\n' }));
    expect(result.ok ? [] : result.errors.join()).toMatch(/sources/);
  });

  it('keeps a qualified lab reference to another pack as it is', () => {
    const result = parse(questionFile({ labs: ['bootcamp/feature-lab'] }));
    expect(result.ok && result.question.labIds).toEqual(['bootcamp/feature-lab']);
  });

  it('ignores "##" lines inside fenced code', () => {
    const body = '## Short answer\n\nS.\n\n## Answer\n\n```python\n## not a heading\nx = 1\n```\n\nAfter.\n';
    const result = parse(questionFile({ body }));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.question.body.answer).toContain('## not a heading');
  });

  it.each([
    ['a missing field', questionFile().replace(/^difficulty: .*\n/m, ''), /missing field "difficulty"/],
    ['an unknown field', questionFile({ extraFrontMatter: 'author: me\n' }), /unknown field "author"/],
    ['an unknown section', questionFile({ section: 'astrology' }), /section: must be one of/],
    ['a bad difficulty', questionFile({ difficulty: 'expert' }), /difficulty: must be one of "junior", "mid", "senior"/],
    ['an id that is not kebab-case', questionFile({ id: 'Sample_Question' }), /id: must match pattern/],
    ['broken YAML', '---\nid: [unclosed\n---\n\n## Short answer\n\nS.\n\n## Answer\n\nA.\n', /not valid YAML/],
    ['no front matter', '## Short answer\n\nS.\n', /missing front matter/],
  ])('reports %s', (_name, text, message) => {
    const result = parse(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('\n')).toMatch(message);
  });

  it('reports a section that does not match its folder', () => {
    const result = parse(questionFile({ section: 'serving' }));
    expect(!result.ok && result.errors[0]).toMatch(/section "serving" does not match its folder/);
  });

  it('reports a file name without its number', () => {
    const result = parse(questionFile(), 'sample-question.md');
    expect(!result.ok && result.errors[0]).toMatch(/file name must look like/);
  });

  it.each([
    ['missing Answer', '## Short answer\n\nS.\n', /missing or empty "## Answer"/],
    ['an empty Short answer', '## Short answer\n\n## Answer\n\nA.\n', /missing or empty "## Short answer"/],
    ['headings out of order', '## Answer\n\nA.\n\n## Short answer\n\nS.\n', /out of order/],
    ['an unknown heading', '## Short answer\n\nS.\n\n## Answer\n\nA.\n\n## Summary\n\nX.\n', /unknown heading "## Summary"/],
  ])('reports %s', (_name, body, message) => {
    const result = parse(questionFile({ body }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('\n')).toMatch(message);
  });
});
