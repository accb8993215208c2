// Library entry of the k8s-gen CLI package: lets programs run the CLI in-process.
export { buildProgram, main } from './main.js';
export { CliError, formatProblem } from './output.js';
export type { PrintableProblem } from './output.js';
