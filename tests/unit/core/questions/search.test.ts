import { describe, expect, it } from 'vitest';
import { buildSearchIndex, searchQuestions } from '../../../../src/core/questions/search';
import type { SectionSlug } from '../../../../src/core/catalog/sections';
import { questionFixture } from '../../helpers';

const q = (id: string, title: string, tags: string[], answer: string, section: SectionSlug = 'serving') => questionFixture({ id, title, tags, answer, section });

const index = buildSearchIndex([
  q('answer-only', 'How do you roll out a new model?', ['deployment'], 'Use **dynamic batching** in Triton to raise throughput.'),
  q('tagged', 'What limits inference throughput?', ['batching', 'latency'], 'Queueing and kernel launch overheads.'),
  q('titled', 'What is dynamic batching?', ['triton'], 'Grouping requests on the server.'),
  q('unrelated', 'What is a feature store?', ['feast'], 'An offline and an online store.', 'feature-stores'),
]);
const ids = (query: string) => searchQuestions(index, query).map((h) => h.question.id);

describe('question search', () => {
  it('ranks a title match above a tag match above a match in the answer only', () => {
    expect(ids('batching')).toEqual(['titled', 'tagged', 'answer-only']);
  });

  it('requires every word of the query to match somewhere', () => {
    expect(ids('dynamic triton')).toEqual(['titled', 'answer-only']);
    expect(ids('dynamic feast')).toEqual([]);
  });

  it('matches word prefixes, ignores case and markdown', () => {
    expect(ids('THROUGH')).toEqual(['tagged', 'answer-only']);
    expect(ids('feature sto')).toEqual(['unrelated']);
  });

  it('searches the section title', () => {
    expect(ids('feature stores')).toEqual(['unrelated']);
  });

  it('gives an excerpt when only the answer matched', () => {
    const hit = searchQuestions(index, 'triton').find((h) => h.question.id === 'answer-only');
    expect(hit?.excerpt).toContain('dynamic batching in Triton');
    expect(searchQuestions(index, 'triton').find((h) => h.question.id === 'titled')?.excerpt).toBeUndefined();
  });

  it('lists everything in catalog order for an empty query', () => {
    expect(ids('  ')).toEqual(['answer-only', 'tagged', 'titled', 'unrelated']);
  });
});
