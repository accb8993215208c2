// Public API of the fluentd config model.
export * from './ast.js';
export * from './writer.js';
export * from './parser.js';
export * from './presets.js';
export * from './kubernetes.js';
