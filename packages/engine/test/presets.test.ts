// Every policy preset passes our own checks at every Kubernetes release it claims: the
// apiserver's validation and the linter, with no error (a credential-bearing body logged is one).
import { POLICY_PRESETS, validate } from '@k8s-gen/audit';
import { describe, expect, it } from 'vitest';
import { lint } from '../src/index.js';

describe('policy presets', () => {
  for (const preset of POLICY_PRESETS) {
    it(`${preset.name} validates and lints clean on 1.${preset.kubernetesMinors.oldest} to 1.${preset.kubernetesMinors.newest}`, () => {
      const policy = preset.build().build();
      for (let minor = preset.kubernetesMinors.oldest; minor <= preset.kubernetesMinors.newest; minor++) {
        const kubernetesVersion = `1.${minor}`;
        expect(validate(policy, { kubernetesVersion }), kubernetesVersion).toEqual([]);
        const errors = lint(policy, { kubernetesVersion }).filter((finding) => finding.severity === 'error');
        expect(errors, kubernetesVersion).toEqual([]);
      }
    });
  }
});
