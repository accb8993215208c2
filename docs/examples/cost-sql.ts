// Explain, lint and cost: the cost replay at fleet scale. DuckDB (embedded) replays a local log on
// every core; the same replay compiled to SQL runs where a fleet keeps its logs (Athena over S3
// here). Pass a recorded RequestResponse log's path as the first argument.
import { gceProductionPolicy } from '@k8s-gen/audit';
import { compileCostQuery, costReplay, costReplayDuckDB } from '@k8s-gen/engine';

const logFile = process.argv[2] ?? 'audit.log';
const policy = gceProductionPolicy().build();

// The same report as costReplay, from one SQL query over the file (JSON lines, .gz or Parquet).
const onDuckDB = await costReplayDuckDB({ policy, log: logFile, kubernetesVersion: '1.20' });
const inJavaScript = await costReplay({ policy, log: logFile, kubernetesVersion: '1.20' });
console.log(`DuckDB: ${onDuckDB.candidate.events} of ${onDuckDB.log.events} events kept, ${onDuckDB.candidate.bytes} bytes`);
console.log(`same events per rule as the JavaScript replay: ${JSON.stringify(onDuckDB.breakdowns.rule) === JSON.stringify(inJavaScript.breakdowns.rule)}`);

// For Athena: a table with one row per log line, the event's JSON in the column `line`.
const athena = compileCostQuery(policy, {
  dialect: 'athena',
  source: { kind: 'table', table: 'audit.kube_audit', column: 'line' },
  kubernetesVersion: '1.20',
});
if (athena.ok) console.log(`Athena query: ${athena.sql.length} characters for the ${policy.rules.length} rules`);
else for (const problem of athena.problems) console.error(`${problem.path}: ${problem.message} ${problem.fix}`);

// GKE's audit logs, as a Cloud Logging sink exports them to BigQuery: the query maps each row of
// the export table back to its Event first. Read the rows BigQuery returns back as objects, and
// costReportFromRows(rows) gives the report k8s-gen cost prints.
const gke = compileCostQuery(policy, {
  dialect: 'bigquery',
  source: { kind: 'gke-export', table: 'my-project.audit.cloudaudit_googleapis_com_activity' },
});
if (gke.ok) console.log(`BigQuery query over the GKE export: ${gke.sql.length} characters`);
else for (const problem of gke.problems) console.error(`${problem.path}: ${problem.message} ${problem.fix}`);
