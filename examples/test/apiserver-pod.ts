// The static Pod manifest kubeadm writes for kube-apiserver, reduced to what the audit patch
// touches, and the real kubectl applying a target's JSON patch to it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const KUBECTL = '/usr/bin/kubectl';

/** Applies `patchFile` (a target's `kube-apiserver.patch.json`) with `kubectl patch --local`. */
export function patchedApiserverPod(patchFile: string): { apiVersion: string; kind: string; spec: { containers: [{ command: string[] }] } } {
  const manifest = join(mkdtempSync(join(tmpdir(), 'k8s-gen-pod-')), 'kube-apiserver.yaml');
  writeFileSync(
    manifest,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'kube-apiserver', namespace: 'kube-system' },
      spec: {
        hostNetwork: true,
        containers: [{ name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.31.0', command: ['kube-apiserver'], volumeMounts: [{ name: 'k8s-certs', mountPath: '/etc/kubernetes/pki', readOnly: true }] }],
        volumes: [{ name: 'k8s-certs', hostPath: { path: '/etc/kubernetes/pki', type: 'DirectoryOrCreate' } }],
      },
    }),
  );
  return JSON.parse(execFileSync(KUBECTL, ['patch', '--local', '-f', manifest, '--type', 'json', '--patch-file', patchFile, '-o', 'json'], { encoding: 'utf8' }));
}
