// Validates rendered Kubernetes manifests offline against the API schemas (npm kubernetes-models,
// and @kubernetes-models/prometheus-operator for ServiceMonitor and PrometheusRule).
//   node validate-manifests.cjs <node_modules dir> <manifests.yaml>...
// Fails on an unknown kind, a schema violation, a missing name, or a duplicate kind/name.
'use strict';
const fs = require('fs');
const path = require('path');

const [modules, ...files] = process.argv.slice(2);
if (!modules || files.length === 0) {
  console.error('usage: validate-manifests.cjs <node_modules> <manifests.yaml>...');
  process.exit(2);
}
const req = (name) => require(path.join(modules, name));
const YAML = req('yaml');

function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [null, apiVersion];
  const candidates = group === 'monitoring.coreos.com'
    ? [path.join('@kubernetes-models/prometheus-operator', group, version, kind)]
    : [path.join('kubernetes-models', group ? `${group}/${version}` : version, kind)];
  for (const candidate of candidates) {
    try {
      return req(candidate)[kind];
    } catch (e) {
      if (e.code !== 'MODULE_NOT_FOUND') throw e;
    }
  }
  return null;
}

let failures = 0;
let checked = 0;
for (const file of files) {
  const seen = new Set();
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'));
  for (const doc of docs) {
    if (doc.errors.length) {
      console.error(`${file}: YAML error: ${doc.errors[0].message}`);
      failures++;
      continue;
    }
    const obj = doc.toJSON();
    if (obj === null || obj === undefined) continue;
    const where = `${file}: ${obj.kind}/${obj.metadata && obj.metadata.name}`;
    const Model = obj.apiVersion && obj.kind ? modelFor(obj.apiVersion, obj.kind) : null;
    if (!Model) {
      console.error(`${where}: no schema for ${obj.apiVersion} ${obj.kind}`);
      failures++;
      continue;
    }
    if (!obj.metadata || !obj.metadata.name) {
      console.error(`${where}: metadata.name is missing`);
      failures++;
    }
    const key = `${obj.kind}/${obj.metadata && obj.metadata.name}`;
    if (seen.has(key)) {
      console.error(`${where}: defined twice`);
      failures++;
    }
    seen.add(key);
    try {
      new Model(obj).validate();
      checked++;
    } catch (e) {
      console.error(`${where}: ${e.message}`);
      failures++;
    }
  }
}
console.log(`validate-manifests: ${checked} manifests valid, ${failures} problems`);
process.exit(failures ? 1 : 0);
