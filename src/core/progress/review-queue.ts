/**
 * Review Next Due's choice between the questions and the labs that are due: whichever fell due first, so
 * the review that has waited longest comes first. A question wins a tie (it is the shorter review).
 */

export type DueItem = { kind: 'question'; id: string; due: Date } | { kind: 'lab'; id: string; due: Date };

/** The item to review next and how many others are due, or undefined when nothing is due. */
export function nextDue(
  questions: readonly { id: string; due: Date }[],
  labs: readonly { id: string; due: Date }[],
): { item: DueItem; more: number } | undefined {
  const items: DueItem[] = [
    ...questions.map((q) => ({ kind: 'question' as const, id: q.id, due: q.due })),
    ...labs.map((l) => ({ kind: 'lab' as const, id: l.id, due: l.due })),
  ];
  // A stable sort keeps questions (listed first) ahead of labs due at the same moment, and each list's own order.
  items.sort((a, b) => a.due.getTime() - b.due.getTime());
  const item = items[0];
  return item ? { item, more: items.length - 1 } : undefined;
}
