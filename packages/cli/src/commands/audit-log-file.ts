// Reading an audit log for the analysis commands (cost, explain --log, lint --log): the file must
// exist, its format is the one given or recognised, and what the engine could not read is said on
// stderr: a log in no known format, or one where no record held an event, ends the command.
import { stat } from 'node:fs/promises';
import { AuditLogFormatError, FORMAT_READERS, type AuditLogFormatStatus } from '@k8s-gen/engine';
import { CliError, EXIT_CODES, printable } from '../output.js';

/** The size of `log` in bytes; a missing or unreadable file is a usage error. */
export async function auditLogSize(log: string): Promise<number> {
  return stat(log).then(
    (info) => info.size,
    (error: NodeJS.ErrnoException) => {
      throw new CliError(`cannot read audit log ${log}: ${error.code ?? error.message}`, 'pass the path of an audit log file', EXIT_CODES.usage);
    },
  );
}

/**
 * Runs `read` over `log`, turning the engine's format error into one message with its fix, and
 * any other failure into "cannot read".
 */
export async function readingAuditLog<T>(log: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof AuditLogFormatError) throw new CliError(`cannot read ${log}: ${error.message}`, error.fix);
    throw new CliError(`cannot read ${log}: ${(error as Error).message}`, 'check that the file is a (gzipped) audit log');
  }
}

/**
 * Says on stderr which managed cluster's format was read and what its events lack, and warns
 * about records without events. A log whose records held no event at all is an error.
 */
export function reportAuditLogFormat(log: string, status: AuditLogFormatStatus): void {
  if (status.format !== undefined && status.format !== 'kubernetes') {
    const reader = FORMAT_READERS[status.format];
    process.stderr.write(`note: ${log} read as ${reader.name} (${status.shape ?? status.format})${status.lost.length > 0 ? `; its events lack: ${status.lost.join('; ')}` : ''}\n`);
  }
  if (status.skipped > 0) {
    const first = status.skippedSamples[0];
    process.stderr.write(`warning: ${status.skipped} record(s) of ${log} held no audit event and were skipped${first ? ` (first, record ${first.record}: ${printable(first.message)})` : ''}\n`);
  }
  if (status.events === 0 && status.skipped > 0) {
    throw new CliError(`no record of ${log} held an audit event${status.format !== undefined ? ` of the ${status.format} format` : ''}`, 'check the export (see the warning above), or name the format with --input-format');
  }
}
