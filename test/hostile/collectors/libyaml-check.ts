// The YAML-based shippers' texts read by the real libyaml, beside our reader: the printer's
// guarantee (what it writes reads back as the tree it meant) must hold for the C library Fluent Bit
// links and go-yaml's and serde_yaml's readers were ported from, not only for the yaml library our
// parsers use. Both readers must give the same parse events, scalar text included.
import { expect } from 'vitest';
import { yamlEvents } from '../../../packages/collectors/test/helpers.js';
import { readConfigYaml } from '../../../packages/collectors/src/yaml-config.js';
import { libyamlEvents } from '../../support/libyaml.js';

/** Expects libyaml to read each text into the same events as our YAML reader. */
export function expectLibyamlReadsAsOurs(texts: readonly string[]): void {
  if (texts.length === 0) return;
  const read = libyamlEvents(texts);
  texts.forEach((text, index) => {
    const ours = readConfigYaml(text, { scalars: 'strings', language: 'check' });
    expect(ours.problems, text).toEqual([]);
    expect(read[index], text).toEqual(yamlEvents(ours.value!));
  });
}
