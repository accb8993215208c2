// @k8s-gen/core as users see it: build a pod with the generated builders, validate it with the
// generated zod schema, and get Problems with exact paths for a bad one.
import { expect, it } from 'vitest';
import { coreGenerated, describeWithCore } from '../../../test/support/shared-data.js';

// Without a spec there is no generated code (the build said so in one line); the block below is
// then skipped, saying what it needs.
const core = coreGenerated ? await import('../src/index.js') : (undefined as never);

describeWithCore('@k8s-gen/core', () => {
  it('builds a pod that validates', () => {
    const pod = core
      .pod()
      .metadata(core.objectMeta().name('web').labels({ app: 'web' }))
      .spec(
        core
          .podSpec()
          .restartPolicy('Always')
          .containers(
            core.container().name('web').image('nginx:1.27').ports({ containerPort: 80, name: 'http' }),
            { name: 'sidecar', image: 'busybox', resources: { limits: { cpu: '500m', memory: 128 } } },
          ),
      )
      .build();
    expect(pod).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { labels: { app: 'web' }, name: 'web' },
      spec: {
        containers: [
          { image: 'nginx:1.27', name: 'web', ports: [{ containerPort: 80, name: 'http' }] },
          { name: 'sidecar', image: 'busybox', resources: { limits: { cpu: '500m', memory: 128 } } },
        ],
        restartPolicy: 'Always',
      },
    });
    expect(Object.keys(pod)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(core.PodSchema.safeParse(pod).success).toBe(true);
  });

  it('reports a bad pod as Problems with paths and fixes', () => {
    const bad = {
      apiVersion: 'v1',
      kind: 'Pod',
      spec: { containers: [{ name: 'a' }, { image: 'x', ports: [{ containerPort: 'eighty' }] }, { name: 'c', imagePullPolicy: 'Always', imagee: 'y' }] },
    };
    const result = core.PodSchema.safeParse(bad);
    expect(result.success).toBe(false);
    const problems = core.problemsFromZod(result.error!, { input: bad, schema: core.PodSchema });
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['missing-field', 'spec.containers[1].name'],
      ['invalid-type', 'spec.containers[1].ports[0].containerPort'],
      ['unknown-field', 'spec.containers[2].imagee'],
    ]);
    expect(problems[2]!.fix).toBe('Did you mean `image`?');
    expect(problems[0]!.fix).toBe('Add `name` (string) to spec.containers[1].');
  });

  it('rejects a wrong kind', () => {
    const result = core.PodSchema.safeParse({ apiVersion: 'v1', kind: 'Service' });
    expect(result.success).toBe(false);
    expect(core.problemsFromZod(result.error!)[0]).toMatchObject({ code: 'invalid-value', path: 'kind', fix: 'Use one of "Pod".' });
  });

  it('exposes group/versions as namespaces', () => {
    expect(core.metaV1.ObjectMetaSchema).toBe(core.ObjectMetaSchema);
    expect(typeof core.coreV1.pod).toBe('function');
  });
});
