/** The ten topic sections, in the fixed order of docs/formats.md §2. */
export const SECTIONS = [
  { slug: 'training-frameworks', title: 'Training frameworks' },
  { slug: 'distributed-training', title: 'Distributed training' },
  { slug: 'experiment-tracking', title: 'Experiment tracking' },
  { slug: 'versioning-registry', title: 'Versioning and model registry' },
  { slug: 'serving', title: 'Model serving' },
  { slug: 'optimization', title: 'Optimisation and compression' },
  { slug: 'pipelines', title: 'Pipelines and orchestration' },
  { slug: 'feature-stores', title: 'Feature stores' },
  { slug: 'monitoring', title: 'Monitoring and observability' },
  { slug: 'ml-testing', title: 'ML testing and validation' },
] as const;

export type SectionSlug = (typeof SECTIONS)[number]['slug'];

export const DIFFICULTIES = ['junior', 'mid', 'senior'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

const ORDER = new Map<string, number>(SECTIONS.map((s, i) => [s.slug, i]));

export function isSectionSlug(value: string): value is SectionSlug {
  return ORDER.has(value);
}

export function sectionOrder(slug: SectionSlug): number {
  return ORDER.get(slug) ?? SECTIONS.length;
}

export function sectionTitle(slug: SectionSlug): string {
  return SECTIONS[sectionOrder(slug)]?.title ?? slug;
}
