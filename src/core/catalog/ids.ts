/** Ids are namespaced by pack: `<pack-id>/<local-id>` (docs/formats.md §1). */
export const LOCAL_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const CORE_PACK_ID = 'core';

export function qualify(packId: string, localId: string): string {
  return `${packId}/${localId}`;
}

/** Resolves a reference from a manifest: a local id names something in the same pack. */
export function resolveReference(packId: string, reference: string): string {
  return reference.includes('/') ? reference : qualify(packId, reference);
}

export function splitQualified(qualifiedId: string): { packId: string; localId: string } {
  const slash = qualifiedId.indexOf('/');
  return { packId: qualifiedId.slice(0, slash), localId: qualifiedId.slice(slash + 1) };
}
