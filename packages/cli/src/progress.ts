// Progress on long jobs (large specs, multi-gigabyte logs): a bar on an interactive terminal,
// silence elsewhere, so that CI logs and pipes stay clean.
import cliProgress from 'cli-progress';
import { isInteractive } from './output.js';

/** What a long-running library call reports; `total` may be unknown at first. */
export interface ProgressEvent {
  phase: string;
  done?: number;
  total?: number;
}

export interface Progress {
  update(event: ProgressEvent): void;
  stop(): void;
}

const silent: Progress = { update() {}, stop() {} };

/** A progress display for `command`, shown only when stderr is a terminal. */
export function createProgress(command: string, options: { units?: 'items' | 'bytes' } = {}): Progress {
  if (!isInteractive()) return silent;
  const bar = new cliProgress.SingleBar(
    {
      format: `${command} {phase} [{bar}] {percentage}% {value}/{total}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      formatValue: (value, _options, type) =>
        options.units === 'bytes' && (type === 'value' || type === 'total') ? formatBytes(value) : String(value),
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(event) {
      const total = event.total ?? 0;
      if (!started) {
        bar.start(total, event.done ?? 0, { phase: event.phase });
        started = true;
      } else {
        if (event.total !== undefined) bar.setTotal(total);
        bar.update(event.done ?? 0, { phase: event.phase });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function formatBytes(value: number): string {
  if (value < 1024) return `${value} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let scaled = value / 1024;
  let unit = 0;
  while (scaled >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit += 1;
  }
  return `${scaled.toFixed(1)} ${units[unit]}`;
}
