import { createServer, type Server, type ServerResponse } from 'node:http';
import {
  closeServer,
  listenOnLoopback,
  loopbackUrl,
} from './loopback-server.ts';

/**
 * A stand-in for the Anthropic Messages API over real HTTP (the app reaches it via
 * ANTHROPIC_BASE_URL). It answers every request with a `report_findings` tool call decided by the
 * test, after an optional delay, in JSON or as a server-sent-event stream, as the client asks.
 */
export interface ReportInput {
  findings: Array<Record<string, unknown>>;
  summary?: string;
}

export interface MessagesRequest {
  model: string;
  stream?: boolean;
  system?: unknown;
  tools?: Array<{ name: string; input_schema: unknown }>;
  tool_choice?: unknown;
  messages: Array<{ role: string; content: unknown }>;
  max_tokens: number;
}

/** Investigative tool calls the model makes instead of reporting, e.g. `{ name: 'read_file', input: { path } }`. */
export interface ToolCalls {
  toolCalls: Array<{ name: string; input: unknown }>;
}

/** The verification pass's answer about one finding. */
export interface Verdict {
  verdict: 'keep' | 'drop' | 'downgrade';
  severity?: string;
  reason: string;
}

/** `rawInput`: the tool call's input exactly as given, for answers that are not a findings object. */
export type Responder = (
  request: MessagesRequest,
  text: string,
) =>
  | ReportInput
  | ToolCalls
  | { status: number; body: unknown }
  | { rawInput: unknown };
/** Called once per finding of a verification request, with that finding's part of the text. */
export type VerdictResponder = (
  request: MessagesRequest,
  findingText: string,
) => Verdict;

/** Below this `max_tokens` a request can only be a prompt-cache warm-up: nothing useful fits in the answer. */
export const WARM_UP_MAX_TOKENS = 16;

/** Whether a request only warms the prompt cache (its answer is cut off after a token or so). */
export function isWarmUp(body: MessagesRequest): boolean {
  return body.max_tokens <= WARM_UP_MAX_TOKENS;
}

/** Whether a request is the verification pass rather than a review round. */
export function isVerification(body: MessagesRequest): boolean {
  return (
    (body.tool_choice as { name?: string } | undefined)?.name ===
    'record_verdicts'
  );
}

/** The tool results the app sent back in a request's last user turn, by tool_use id order. */
export function toolResults(
  body: MessagesRequest,
): Array<{ content: string; isError: boolean }> {
  const last = body.messages.at(-1);
  if (!last || !Array.isArray(last.content)) return [];
  return (
    last.content as Array<{
      type: string;
      content?: unknown;
      is_error?: boolean;
    }>
  )
    .filter((b) => b.type === 'tool_result')
    .map((b) => ({
      content:
        typeof b.content === 'string' ? b.content : JSON.stringify(b.content),
      isError: b.is_error === true,
    }));
}

export class FakeModel {
  readonly requests: Array<{
    body: MessagesRequest;
    headers: Record<string, string | string[] | undefined>;
    startedAt: number;
    endedAt?: number;
    /** What the answer billed, and the round of its conversation (0 = first request of a chunk). */
    usage?: {
      input: number;
      cacheRead: number;
      cacheWrite: number;
      round: number;
    };
  }> = [];
  delayMs = 0;
  /**
   * Time to the first token. An answer that ends after it (a warm-up, see `isWarmUp`) takes this
   * long instead of `delayMs`; defaults to a tenth of `delayMs`.
   */
  firstTokenMs: number | undefined;
  /** Delay of verification answers (a smaller, faster model); defaults to `delayMs`. */
  verifyDelayMs: number | undefined;
  /**
   * Bill tokens like the prompt cache would: about 4 characters a token, prefixes up to a
   * `cache_control` breakpoint written on first sight and read on later requests.
   */
  simulateCache = false;
  private readonly cached = new Set<string>();
  private server: Server | undefined;

  private respond: Responder;
  private judge: VerdictResponder = () => ({
    verdict: 'keep',
    reason: 'the code shown supports it',
  });

  constructor(respond: Responder = () => ({ findings: [] })) {
    this.respond = respond;
  }

  /** Review rounds only, without the verification pass's requests and cache warm-ups. */
  get reviewRequests(): Array<(typeof this.requests)[number]> {
    return this.requests.filter(
      (r) => !isVerification(r.body) && !isWarmUp(r.body),
    );
  }

  /** Requests that only warmed the prompt cache. */
  get warmUps(): Array<(typeof this.requests)[number]> {
    return this.requests.filter((r) => isWarmUp(r.body));
  }

  setVerdicts(judge: VerdictResponder): void {
    this.judge = judge;
  }

  setResponder(respond: Responder): void {
    this.respond = respond;
  }

  get url(): string {
    return loopbackUrl(this.server, 'fake model');
  }

  async listen(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            type: 'error',
            error: { type: 'not_found_error', message: 'unknown path' },
          }),
        );
        return;
      }
      const body = JSON.parse(
        Buffer.concat(chunks).toString('utf8'),
      ) as MessagesRequest;
      const entry: (typeof this.requests)[number] = {
        body,
        headers: req.headers,
        startedAt: Date.now(),
      };
      this.requests.push(entry);
      const verifying = isVerification(body);
      const warmUp = isWarmUp(body);
      const delay = warmUp
        ? (this.firstTokenMs ?? this.delayMs / 10)
        : verifying
          ? (this.verifyDelayMs ?? this.delayMs)
          : this.delayMs;
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      // The answer to a warm-up is cut off by its output limit, as the API's would be.
      const answer:
        | ReturnType<Responder>
        | ReturnType<FakeModel['verdicts']>
        | { cutOff: true } = warmUp
        ? { cutOff: true }
        : verifying
          ? this.verdicts(body)
          : this.respond(body, userText(body));
      entry.endedAt = Date.now();
      if ('status' in answer) {
        res
          .writeHead(answer.status, { 'content-type': 'application/json' })
          .end(JSON.stringify(answer.body));
        return;
      }
      const n = this.requests.length;
      const content =
        'cutOff' in answer
          ? []
          : 'toolCalls' in answer
            ? answer.toolCalls.map((call, i) => ({
                type: 'tool_use',
                id: `toolu_${n}_${i}`,
                name: call.name,
                input: call.input,
              }))
            : [
                {
                  type: 'tool_use',
                  id: `toolu_${n}`,
                  name: verifying ? 'record_verdicts' : 'report_findings',
                  input: 'rawInput' in answer ? answer.rawInput : answer,
                },
              ];
      const message = {
        id: `msg_${n}`,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content,
        stop_reason: 'cutOff' in answer ? 'max_tokens' : 'tool_use',
        stop_sequence: null,
        usage: this.simulateCache
          ? this.billed(body)
          : {
              input_tokens: 1200,
              output_tokens: 150,
              cache_read_input_tokens: 3000,
              cache_creation_input_tokens: 0,
            },
      };
      entry.usage = {
        input: message.usage.input_tokens!,
        cacheRead: message.usage.cache_read_input_tokens!,
        cacheWrite: message.usage.cache_creation_input_tokens!,
        round: body.messages.filter((m) => m.role === 'assistant').length,
      };
      if (body.stream) streamMessage(res, message);
      else
        res
          .writeHead(200, {
            'content-type': 'application/json',
            'request-id': message.id,
          })
          .end(JSON.stringify(message));
    });
    await listenOnLoopback(this.server);
    return this;
  }

  private verdicts(body: MessagesRequest): {
    verdicts: Array<Verdict & { finding: number }>;
  } {
    const blocks = [
      ...userText(body).matchAll(/<finding n="(\d+)">([\s\S]*?)<\/finding>/g),
    ];
    return {
      verdicts: blocks.map((m) => ({
        finding: Number(m[1]),
        ...this.judge(body, m[2]!),
      })),
    };
  }

  private billed(body: MessagesRequest): Record<string, number> {
    const { total, boundaries, breakpoints } = cachePrefixes(body);
    let read = 0;
    for (const b of breakpoints) {
      for (let k = b; k >= Math.max(0, b - 20); k--) {
        if (this.cached.has(boundaries[k]!)) {
          read = Math.max(read, boundaries[k]!.length);
          break;
        }
      }
    }
    let written = 0;
    for (const b of breakpoints) {
      const p = boundaries[b]!;
      if (this.cached.has(p)) continue;
      this.cached.add(p);
      written = Math.max(written, p.length - read);
    }
    const tokens = (chars: number) => Math.ceil(chars / 4);
    return {
      input_tokens: tokens(total - read - written),
      output_tokens: 150,
      cache_read_input_tokens: tokens(read),
      cache_creation_input_tokens: tokens(written),
    };
  }

  async close(): Promise<void> {
    await closeServer(this.server);
  }
}

/** All user-visible text of a request, for responders that look for paths or markers. */
export function userText(body: MessagesRequest): string {
  return body.messages
    .map((m) =>
      typeof m.content === 'string'
        ? m.content
        : (m.content as Array<{ type: string; text?: string }>)
            .map((b) => b.text ?? '')
            .join('\n'),
    )
    .join('\n');
}

function streamMessage(
  res: ServerResponse,
  message: {
    content: Array<{ input: unknown }>;
    usage: Record<string, number>;
  } & Record<string, unknown>,
): void {
  // Streaming is only used for single-block answers.
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
  });
  const send = (event: string, data: unknown) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const block = message.content[0]!;
  send('message_start', {
    type: 'message_start',
    message: {
      ...message,
      content: [],
      stop_reason: null,
      usage: { ...message.usage, output_tokens: 1 },
    },
  });
  send('content_block_start', {
    type: 'content_block_start',
    index: 0,
    content_block: { ...block, input: {} },
  });
  const json = JSON.stringify(block.input);
  for (let i = 0; i < json.length; i += 512) {
    send('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'input_json_delta', partial_json: json.slice(i, i + 512) },
    });
  }
  send('content_block_stop', { type: 'content_block_stop', index: 0 });
  send('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: 'tool_use', stop_sequence: null },
    usage: { output_tokens: message.usage.output_tokens },
  });
  send('message_stop', { type: 'message_stop' });
  res.end();
}

/**
 * The request serialised in cache order (tools, system, messages): the prefix at the end of every
 * block, and which blocks carry a breakpoint. As the API does, a breakpoint also finds a prefix
 * cached at any of the 20 block boundaries before it.
 */
function cachePrefixes(body: MessagesRequest): {
  total: number;
  boundaries: string[];
  breakpoints: number[];
} {
  const strip = (block: unknown) => {
    if (typeof block !== 'object' || block === null) return block;
    const { cache_control: _c, ...rest } = block as Record<string, unknown>;
    return rest;
  };
  // A change of tool_choice invalidates the cached messages, not the tools and system blocks.
  let text = JSON.stringify(body.tools ?? []);
  const boundaries: string[] = [];
  const breakpoints: number[] = [];
  const add = (block: unknown) => {
    text += JSON.stringify(strip(block));
    boundaries.push(text);
    if ((block as { cache_control?: unknown }).cache_control)
      breakpoints.push(boundaries.length - 1);
  };
  const system =
    typeof body.system === 'string'
      ? [{ type: 'text', text: body.system }]
      : ((body.system as unknown[] | undefined) ?? []);
  for (const block of system) add(block);
  text += JSON.stringify(body.tool_choice ?? null);
  for (const message of body.messages) {
    text += message.role;
    for (const block of typeof message.content === 'string'
      ? [{ type: 'text', text: message.content }]
      : (message.content as unknown[]))
      add(block);
  }
  return { total: text.length, boundaries, breakpoints };
}
