/**
 * Bookkeeping of the scan that gives memories written before schema 2 their entity mentions, the same on every
 * backend, in `engram_meta`:
 * - `mentions_scan_below`: memories with a lower seq were written before mentions were kept (or by a copy that
 *   did not carry them, `engram migrate`). Set when a store opens without it (first opened by a version that
 *   scans), to the next seq then: on a new database nothing is below it; on an older one everything is
 *   (memories that already have mentions are skipped).
 * - `mentions_scanned:<tenant>`: the highest seq of the tenant the scan has read.
 */
export const SCAN_BELOW_KEY = 'mentions_scan_below';

export function scannedKey(tenant: string): string {
  return `mentions_scanned:${tenant}`;
}
