/** The validators of the two authored manifests, pack.json and lab.json (docs/formats.md). */
import labSchema from '../../../schemas/lab.schema.json';
import packSchema from '../../../schemas/pack.schema.json';
import { validator } from '../io/schema';
import type { LabManifest, PackManifest } from './types';

export const validateLabManifest = validator<LabManifest>(labSchema, 'lab.json');
export const validatePackManifest = validator<PackManifest>(packSchema, 'pack.json');
