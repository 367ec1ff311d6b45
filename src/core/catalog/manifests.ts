/** The validators of the two authored manifests, pack.json and lab.json (docs/formats.md). */
import { validator } from '../io/schema';
import type { LabManifest, PackManifest } from './types';

export const validateLabManifest = validator<LabManifest>('lab', 'lab.json');
export const validatePackManifest = validator<PackManifest>('pack', 'pack.json');
