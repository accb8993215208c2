// Public API of the logstash pipeline model.
export * from './ast.js';
export * from './writer.js';
export * from './parser.js';
export * from './presets.js';
