// A small real client of both vendors: openapi-fetch with segue's generated types.
//
//   node client.mjs MOCK_BASE_URL API_KEY WEBHOOK_HMAC_KEY
//
// generate -> wait -> extend -> wait for KIE and Udio against a running `segue mock`, and every
// KIE callback's signature verified with node:crypto. Waiting follows the spec's
// x-segue-lifecycle (read from the bundles in generated/openapi/), not constants typed here.
// Compiled with the pinned tsc (tsconfig.client.json) and run by
// contract_tests/test_typescript_client.py; each check prints `ok: …`.

import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import createClient from "openapi-fetch";
import type { components as KieSchemas, paths as KiePaths } from "../../generated/typescript/kie.js";
import type { paths as UdioPaths } from "../../generated/typescript/udio.js";

const [mock, apiKey, hmacKey, bundles] = process.argv.slice(2) as [string, string, string, string];

interface Lifecycle {
  stages: string[];
  success: string[];
  failure?: string[];
  "success-message"?: { field: string; value: string };
  "failure-fields"?: string[];
  "max-polls-per-second"?: number;
}
interface Signature {
  "signature-header": string;
  "timestamp-header": string;
  "tolerance-seconds": number;
}
function bundle(name: string): { "x-segue-lifecycle": Lifecycle; "x-segue-signature": Signature } {
  return JSON.parse(readFileSync(`${bundles}/${name}.json`, "utf-8"));
}
const kieSpec = bundle("kie");
const udioSpec = bundle("udio");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
function ok(what: string): void {
  console.log(`ok: ${what}`);
}
function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(`failed: ${what}`);
}

// ------------------------------------------------------------------ a callback receiver
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    received.push({ path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString() });
    response.writeHead(200, { "Content-Type": "application/json" }).end('{"status": "received"}');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

// ------------------------------------------------------------------ KIE
const kie = createClient<KiePaths>({ baseUrl: mock, headers: { Authorization: `Bearer ${apiKey}` } });
type TaskDetails = KieSchemas["schemas"]["TaskDetailsResponse"];

async function kieWait(taskId: string, until: string): Promise<TaskDetails> {
  const life = kieSpec["x-segue-lifecycle"];
  const interval = 1000 / (life["max-polls-per-second"] ?? 1) + 20;
  const target = life.stages.indexOf(until);
  for (let poll = 0; poll < 200; poll++) {
    const { data } = await kie.GET("/api/v1/generate/record-info", { params: { query: { taskId } } });
    check(data && data.code === 200, `poll of ${taskId} answered ${JSON.stringify(data)}`);
    const details = data as TaskDetails;
    const status = details.data.status;
    check(!(life.failure ?? []).includes(status), `task ${taskId} failed: ${status}`);
    if (life.stages.indexOf(status) >= target) return details;
    await sleep(interval);
  }
  throw new Error(`task ${taskId} never reached ${until}`);
}

// A KIE error arrives as HTTP 200 too (its envelope's `code` is the outcome): read the code.
function createdTaskId(answer: unknown): string {
  const created = answer as Partial<KieSchemas["schemas"]["TaskCreatedResponse"]> | undefined;
  const taskId = created?.code === 200 ? created.data?.taskId : undefined;
  check(taskId, `the create answered ${JSON.stringify(answer)}`);
  return taskId;
}

const callBackUrl = `${receiverUrl}/kie`;
const created = await kie.POST("/api/v1/generate", {
  body: { customMode: false, instrumental: true, model: "V4", prompt: "calm piano", callBackUrl },
});
const taskId = createdTaskId(created.data);
const done = await kieWait(taskId, kieSpec["x-segue-lifecycle"].success[0] ?? "SUCCESS");
const clip = done.data.response?.sunoData[0]?.id;
check(clip, "the finished task has a clip");
const extended = await kie.POST("/api/v1/generate/extend", {
  body: { defaultParamFlag: false, audioId: clip, model: "V4", callBackUrl },
});
await kieWait(createdTaskId(extended.data), "FIRST_SUCCESS");
ok("kie: generate -> wait -> extend -> wait (openapi-fetch, generated types)");

// KIE signs `${data.task_id}.${timestamp}` (HMAC-SHA256, base64), not the body.
function verifyKie(headers: IncomingHttpHeaders, body: string, key: string, now: number): boolean {
  const signature = kieSpec["x-segue-signature"];
  const timestamp = headers[signature["timestamp-header"].toLowerCase()];
  const given = headers[signature["signature-header"].toLowerCase()];
  if (typeof timestamp !== "string" || typeof given !== "string" || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(now - Number(timestamp)) > signature["tolerance-seconds"]) return false;
  const callback = JSON.parse(body) as KieSchemas["schemas"]["MusicCallback"];
  const expected = createHmac("sha256", key).update(`${callback.data.task_id}.${timestamp}`).digest();
  const actual = Buffer.from(given, "base64");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
await fetch(`${mock}/_segue/callbacks?task_id=${taskId}&wait=10`);
const kieCallbacks = received.filter((r) => r.path === "/kie");
check(kieCallbacks.length > 0, "KIE callbacks arrived");
const now = Math.floor(Date.now() / 1000);
for (const callback of kieCallbacks) {
  check(verifyKie(callback.headers, callback.body, hmacKey, now), "a KIE callback verifies");
  check(!verifyKie(callback.headers, callback.body, "wrong-key", now), "a wrong key is rejected");
  check(!verifyKie(callback.headers, callback.body, hmacKey, now + 10_000), "a stale one is rejected");
}
ok(`kie: ${kieCallbacks.length} callback signatures verified with node:crypto; wrong key and stale rejected`);

// ------------------------------------------------------------------ Udio
const udio = createClient<UdioPaths>({ baseUrl: `${mock}/api`, headers: { Authorization: `Bearer ${apiKey}` } });

async function udioWait(workId: string): Promise<void> {
  const life = udioSpec["x-segue-lifecycle"];
  const complete = life.success[0];
  for (let poll = 0; poll < 200; poll++) {
    const { data } = await udio.GET("/v2/feed", { params: { query: { workId } } });
    check(data, `feed of ${workId} answered`);
    const clips = data.data.response_data as unknown as Record<string, unknown>[];
    for (const field of life["failure-fields"] ?? []) {
      check(!clips.some((c) => c[field]), `work ${workId} failed (${field})`);
    }
    const message = life["success-message"];
    const finished = (c: Record<string, unknown>) =>
      c["status"] === complete || (message !== undefined && c[message.field] === message.value);
    if (clips.length > 0 && clips.every(finished)) return;
    await sleep(300);
  }
  throw new Error(`work ${workId} never completed`);
}

const callback_url = `${receiverUrl}/udio`;
const work = await udio.POST("/v2/generate", { body: { gpt_description_prompt: "a summer pop song", callback_url } });
check(work.data?.workId, `generate answered ${JSON.stringify(work.error ?? work.data)}`);
await udioWait(work.data.workId);
const udioExtended = await udio.POST("/v2/extend", {
  body: { origin_task_id: work.data.workId, extend_audio_index: 0, callback_url },
});
check(udioExtended.data?.workId, `extend answered ${JSON.stringify(udioExtended.error ?? udioExtended.data)}`);
await udioWait(udioExtended.data.workId);
ok("udio: generate -> wait -> extend -> wait (openapi-fetch, generated types)");

receiver.close();
console.log("all checks passed");
