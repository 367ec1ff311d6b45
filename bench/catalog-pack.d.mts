/** Types of bench/catalog-pack.mjs, for the unit tests that load a generated pack. */
export function writeSyntheticPack(root: string, count: number, into?: string): string;
