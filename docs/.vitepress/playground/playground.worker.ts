// The playground's analysis, off the page's thread: a long lint of a large policy never freezes
// typing, and the page can stop a run that takes too long by terminating this worker.
import { analyze, type PlaygroundInput, type PlaygroundReport } from './analyze.js';

/** A message from the page: one state of the form, numbered so late answers can be told apart. */
export interface AnalysisJob {
  id: number;
  input: PlaygroundInput;
}

/** The answer: the report, or the one-line reason there is none (a bug, never bad input). */
export type AnalysisAnswer = { id: number; report: PlaygroundReport } | { id: number; failure: string };

self.addEventListener('message', (event: MessageEvent<AnalysisJob>) => {
  const { id, input } = event.data;
  let answer: AnalysisAnswer;
  try {
    answer = { id, report: analyze(input) };
  } catch (error) {
    // analyze never throws for bad input; anything caught here is a bug, shown as one line.
    answer = { id, failure: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
  self.postMessage(answer);
});
