/**
 * behavioural-testing, part 3: the behavioural suite and the batch contract the
 * README asks for, written as data.
 */
import type { BehaviourTest } from './checklist';
import type { Expectation } from './expectations';

// TODO (Task 1): the six behavioural tests of the README, in the lab's format.
export const SUITE: readonly BehaviourTest[] = [];

// TODO (Task 4): the seven expectations of the applicant batch contract.
export const CONTRACT: readonly Expectation[] = [];
