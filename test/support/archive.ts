/** Paths to the shared, read-only TWIR corpus (never copied into the project). */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ARCHIVE_DIR = fileURLToPath(new URL('../../../shared/twir-archive/', import.meta.url));
export const SEEDS_DIR = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));

if (!existsSync(ARCHIVE_DIR)) throw new Error(`The shared archive is missing at ${ARCHIVE_DIR}; tests read it from ../shared.`);
