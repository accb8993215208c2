// core/v1 builders: generate them yourself from your cluster's OpenAPI document.
// Save the document first: kubectl get --raw /openapi/v2 > swagger.json
import { importSpec } from '@k8s-gen/generator';

const spec = process.argv[2] ?? 'swagger.json';

const summary = await importSpec({ spec, group: 'core', version: 'v1', outDir: 'src/imports' });

console.log(`wrote ${summary.files} files to ${summary.outDir}`);
for (const [groupVersion, types] of Object.entries(summary.typesPerGroupVersion)) {
  console.log(`  ${groupVersion}: ${types} types`);
}
