// Drives `vibeml mcp` with the official MCP TypeScript SDK client over stdio, against the fake Hub
// and the fake `sky` the calling test (tst_mcpsdk) set up in the environment: lists the tools, calls
// each one, follows a launched job to its end and tears it down, and checks the errors.
//   VIBEML=/path/to/vibeml node client.mjs
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';

const vibeml = process.env.VIBEML;
assert.ok(vibeml, 'set VIBEML to the vibeml executable');
const model = 'Qwen/Qwen2.5-0.5B-Instruct';
const dataset = 'HuggingFaceH4/ultrachat_200k';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const cli = (...args) => execFileSync(vibeml, args, { env: process.env, encoding: 'utf8' });
const step = (text) => console.log(`-- ${text}`);

// The settings folder must exist before the server starts watching it.
cli('config', 'set', 'budget.approval-threshold-usd', '10');

const transport = new StdioClientTransport({ command: vibeml, args: ['mcp'], env: { ...process.env }, stderr: 'inherit' });
const client = new Client({ name: 'vibeml-sdk-test', version: '1.0.0' });
await client.connect(transport);
assert.equal(client.getServerVersion().name, 'vibeml');
assert.ok(client.getServerCapabilities().tools, 'the server offers tools');

async function call(name, args = {}) {
  const result = await client.callTool({ name, arguments: args });
  assert.ok(Array.isArray(result.content) && result.content.length > 0, `${name}: content`);
  assert.equal(result.content[0].type, 'text', `${name}: text content`);
  return result;
}
async function ok(name, args = {}) {
  const result = await call(name, args);
  assert.ok(!result.isError, `${name} failed: ${result.content[0].text}`);
  assert.ok(result.structuredContent && typeof result.structuredContent === 'object', `${name}: structuredContent`);
  return result.structuredContent;
}
async function rejects(code, name, args) {
  await assert.rejects(client.callTool({ name, arguments: args }), (error) => {
    assert.ok(error instanceof McpError, `${name}: McpError, got ${error}`);
    assert.equal(error.code, code, `${name}: code ${error.code}: ${error.message}`);
    return true;
  });
}

step('tools/list');
const { tools } = await client.listTools();
const names = tools.map((tool) => tool.name).sort();
assert.deepEqual(names, ['compare_gpu_costs', 'estimate_training_cost', 'get_training_logs', 'get_training_status',
  'launch_training', 'list_active_training_jobs', 'list_available_workflows', 'list_orphaned_clusters', 'stop_training',
  'validate_dataset', 'validate_model']);
for (const tool of tools) {
  assert.equal(tool.inputSchema.type, 'object', `${tool.name}: input schema`);
  assert.ok(tool.description.length > 20, `${tool.name}: description`);
}
await client.ping();

step('list_available_workflows');
const workflows = await ok('list_available_workflows');
assert.ok(workflows.workflows.some((w) => w.method === 'lora'));

step('validate_model, validate_dataset');
await ok('validate_model', { model_id: model });
await ok('validate_dataset', { dataset_id: dataset });
const missing = await call('validate_model', { model_id: 'nobody/no-such-model' });
assert.equal(missing.isError, true, 'a missing model is a tool error');

step('compare_gpu_costs, estimate_training_cost');
const gpus = await ok('compare_gpu_costs', { gpu: 'H100' });
assert.ok(gpus.offers.length > 0 && gpus.offers.every((o) => o.gpu === 'H100'));
const estimate = await ok('estimate_training_cost', { model, dataset, max_steps: 50 });
assert.ok(estimate.offers.some((o) => o.cheapest), 'an offer fits');

step('launch_training: dry run');
const plan = await ok('launch_training', { model, dataset, max_steps: 50, dry_run: true });
assert.equal(plan.dryRun, true);
assert.ok(plan.taskFile.endsWith('task.yaml'));

step('launch_training: above the approval threshold is refused');
cli('config', 'set', 'budget.approval-threshold-usd', '0');
await sleep(1500); // the server follows the settings file
const refused = await call('launch_training', { model, dataset, max_steps: 50 });
assert.equal(refused.isError, true, 'refused above the threshold');
assert.match(refused.content[0].text, /\$/);
assert.match(refused.content[0].text, /budget\.approval-threshold-usd/);
assert.match(refused.content[0].text, /mcp\.allow-above-approval/);

step('launch_training: allowed by mcp.allow-above-approval');
cli('config', 'set', 'mcp.allow-above-approval', 'yes');
await sleep(1500);
const launched = await ok('launch_training', { model, dataset, max_steps: 50 });
assert.equal(launched.launched, true);
const jobId = launched.jobId;
assert.match(jobId, /^vibeml-/);

step('list_active_training_jobs');
const active = await ok('list_active_training_jobs');
assert.ok(active.jobs.some((job) => job.id === jobId), 'the new job is listed');
const cliList = JSON.parse(cli('jobs', 'list', '--json'));
assert.ok(cliList.jobs.some((job) => job.id === jobId && job.source === 'mcp'), 'the CLI sees the same job, from mcp');

step('get_training_status until the job ends');
let status;
for (let i = 0; i < 120; ++i) {
  status = await ok('get_training_status', { job_id: jobId });
  if (['succeeded', 'failed', 'cancelled', 'tearing-down', 'done', 'lost'].includes(status.state)) break;
  await sleep(500);
}
assert.ok(['succeeded', 'tearing-down', 'done'].includes(status.state), `the job ended well: ${status.state}`);
const cliStatus = JSON.parse(cli('jobs', 'status', jobId, '--json'));
assert.equal(cliStatus.id, jobId);
assert.equal(cliStatus.pricePerHour, status.pricePerHour, 'the CLI and MCP report the same price');

step('get_training_logs');
let logs;
for (let i = 0; i < 40; ++i) {
  logs = await ok('get_training_logs', { job_id: jobId, tail: 5 });
  if (logs.lines.length > 0) break;
  await sleep(500);
}
assert.ok(logs.lines.length > 0 && logs.lines.length <= 5, `tail 5 gave ${logs.lines.length} lines`);

step('stop_training with tear_down');
const stopped = await call('stop_training', { job_id: jobId, tear_down: true });
if (stopped.isError) // the monitor may have torn it down already
  assert.match(stopped.content[0].text, /gone|no cluster|already|not running|nothing/i);
for (let i = 0; i < 60; ++i) {
  status = await ok('get_training_status', { job_id: jobId });
  if (status.state === 'done') break;
  await sleep(500);
}
assert.equal(status.state, 'done', 'the cluster is verified gone');

step('list_orphaned_clusters');
const orphans = await ok('list_orphaned_clusters');
assert.ok(Array.isArray(orphans.orphans));

step('errors');
await rejects(-32602, 'no_such_tool', {});
await rejects(-32602, 'launch_training', { model });
await rejects(-32602, 'launch_training', { model, dataset, nodes: 'two' });
await rejects(-32602, 'get_training_logs', { job_id: jobId, tail: 0 });
await rejects(-32602, 'validate_model', { model_id: model, colour: 'blue' });
const unknownJob = await call('get_training_status', { job_id: 'vibeml-nope' });
assert.equal(unknownJob.isError, true);
assert.match(unknownJob.content[0].text, /no job/);

await client.close();
console.log('mcp sdk client: all checks passed');
