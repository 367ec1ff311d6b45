import { createHash } from 'node:crypto';

/** The hex SHA-256 of `data`: the checksum packs and submissions record for each file. */
export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
