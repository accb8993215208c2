// Numbers for people: the byte sizes every report of the engine prints.

/**
 * Bytes in binary units, rounded for reading.
 *
 * @example
 * ```ts
 * formatBytes(40 * 1024 * 1024); // '40 MiB'
 * ```
 */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number(value.toFixed(value >= 100 || unit === 0 ? 0 : 1))} ${units[unit]}`;
}
