// How a TypeScript codebase uses the types segue generates from generated/openapi/*.json.
// Type-checked (never run) by contract_tests/test_generated_sdk.py with `tsc --noEmit`.
// Each `@ts-expect-error` is a rule the types must enforce: if a type ever degrades to
// `any`/`string`, that directive becomes unused and tsc fails.
import type { components, operations, paths, webhooks } from "../../generated/typescript/kie";
import type { components as UdioComponents } from "../../generated/typescript/udio";

type KieSchemas = components["schemas"];

// ---- an extend request, typed as the operation's request body
type ExtendBody =
  paths["/api/v1/generate/extend"]["post"]["requestBody"]["content"]["application/json"];

export const extendRequest: ExtendBody = {
  defaultParamFlag: true,
  audioId: "e231****-****-****-****-****8cadc7dc",
  prompt: "Extend the music with more relaxing notes",
  style: "Classical",
  title: "Peaceful Piano Extended",
  continueAt: 60,
  model: "V4_5ALL",
  callBackUrl: "https://api.example.com/callback",
};

export const inheritRequest: KieSchemas["ExtendMusicRequest"] = {
  defaultParamFlag: false,
  audioId: "e231****-****-****-****-****8cadc7dc",
  model: "V4",
  callBackUrl: "https://api.example.com/callback",
};

// @ts-expect-error -- `model` is the spec's enum, not any string
export const unknownModel: KieSchemas["Model"] = "V9";

// @ts-expect-error -- `audioId` is required
export const withoutAudioId: KieSchemas["ExtendMusicRequest"] = {
  defaultParamFlag: false,
  model: "V4",
  callBackUrl: "https://api.example.com/callback",
};

// ---- what the create call answers with HTTP 200: the task, or an error envelope
type ExtendAnswer =
  operations["extendMusic"]["responses"][200]["content"]["application/json"];

export function taskIdOf(answer: ExtendAnswer): string | undefined {
  return answer.code === 200 && answer.data ? answer.data.taskId : undefined;
}

// ---- a stage callback received from KIE, typed from the webhook
type StageCallback =
  webhooks["extendMusicCallback"]["post"]["requestBody"]["content"]["application/json"];

export function finishedClipIds(callback: StageCallback): string[] {
  if (callback.data.callbackType !== "complete") return [];
  return (callback.data.data ?? []).map((clip) => clip.id);
}

export function audioUrls(callback: KieSchemas["UploadExtendCallback"]): string[] {
  return (callback.data.data ?? []).map((clip) => clip.source_audio_url);
}

// @ts-expect-error -- callbacks use snake_case: `audioUrl` is not a callback clip field
export const camelCaseClip = (clip: KieSchemas["CallbackClip"]): string => clip.audioUrl;

// ---- Udio: an extend request and its stage callback (a bare array of clips)
export const udioExtend: UdioComponents["schemas"]["ExtendSongRequest"] = {
  origin_task_id: "gen20e094aeaadfe494ea33a5c80ee596083bksv",
  extend_audio_index: 0,
};

export function completeUdioClips(payload: UdioComponents["schemas"]["CallbackPayload"]): string[] {
  return payload.filter((clip) => clip.status === "complete").map((clip) => clip.audio_url);
}

export const thirdClip: UdioComponents["schemas"]["ExtendSongRequest"] = {
  origin_task_id: "gen20e094aeaadfe494ea33a5c80ee596083bksv",
  // @ts-expect-error -- extend_audio_index is 0 or 1
  extend_audio_index: 2,
};

// ---- tolerant reader: an answer with a status and a modelName no page documents yet
// (DECISIONS X-5) type-checks, and the documented values stay known to the compiler.
type RecordInfoAnswer = KieSchemas["TaskDetailsResponse"];

export const unseenValues: RecordInfoAnswer = {
  code: 200,
  msg: "success",
  data: {
    taskId: "5c79****be8e",
    parentMusicId: "",
    param: "{}",
    response: {
      taskId: "5c79****be8e",
      sunoData: [
        {
          id: "8551****662c",
          audioUrl: "https://example.cn/****.mp3",
          streamAudioUrl: "https://example.cn/****",
          imageUrl: "https://example.cn/****.jpeg",
          prompt: "[Verse] Night city lights shining bright",
          modelName: "chirp-never-seen-9000",
          title: "Iron Man",
          tags: "electrifying, rock",
          createTime: "2025-01-01 00:00:00",
          duration: 198.44,
        },
      ],
    },
    status: "QUEUED_FOR_MASTERING",
    type: "GENERATE",
    errorCode: null,
    errorMessage: null,
  },
};

export const documentedStatus: KieSchemas["TaskStatus"] = "SUCCESS";
// @ts-expect-error -- the documented list itself stays closed: TaskStatus is not any string
export const notADocumentedStatus: KieSchemas["TaskStatus"] = "QUEUED_FOR_MASTERING";
