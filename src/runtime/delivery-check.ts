import { z } from 'zod';
import {
  LABEL_ACTIONS,
  parsePullRequestEvent,
  REVIEW_ACTIONS,
} from '../github/handlers/payloads.ts';
import { MalformedPayloadError } from '../github/handlers/pull-request.ts';

/**
 * The `event.action` pairs the app subscribes to (src/github/app.ts); a delivery of anything else
 * is answered without being recorded. A unit test keeps this list equal to the app's subscriptions.
 */
export const ACTED_ON: Readonly<Record<string, readonly string[]>> = {
  pull_request: [...REVIEW_ACTIONS, ...LABEL_ACTIONS],
  issue_comment: ['created'],
  pull_request_review_comment: ['created'],
  check_run: ['rerequested', 'requested_action'],
  check_suite: ['rerequested'],
};

/** What the runtime itself reads from every delivery it records: the scope's installation and the repository. */
const Envelope = z.object({
  action: z.string(),
  installation: z.object({ id: z.int().positive() }),
  repository: z.object({
    name: z.string().min(1),
    owner: z.object({ login: z.string().min(1) }),
  }),
});

export type DeliveryVerdict =
  | { kind: 'act' }
  | { kind: 'ignore' }
  | { kind: 'reject'; reason: string; problems: string[] };

const problemsOf = (error: z.ZodError): string[] =>
  error.issues.map(
    (issue) =>
      `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
  );

/**
 * Decides at the door whether a verified delivery is work: `pull_request` payloads are checked in
 * full (the supersede and the job id read their head, number and repository), the other events the
 * app acts on for the envelope only; their handlers check the rest and ignore what is not for them,
 * as they always did.
 */
export function checkDelivery(name: string, payload: unknown): DeliveryVerdict {
  const action = (payload as { action?: unknown } | null)?.action;
  const actions = ACTED_ON[name];
  if (!actions || typeof action !== 'string' || !actions.includes(action))
    return typeof payload === 'object' && payload !== null
      ? { kind: 'ignore' }
      : {
          kind: 'reject',
          reason: 'the payload is not a JSON object',
          problems: ['(root): expected an object'],
        };
  if (name === 'pull_request') {
    const checked = parsePullRequestEvent(payload);
    if (checked.ok) return { kind: 'act' };
    return {
      kind: 'reject',
      reason: new MalformedPayloadError(name, checked.problems).message,
      problems: checked.problems,
    };
  }
  const envelope = Envelope.safeParse(payload);
  if (envelope.success) return { kind: 'act' };
  const problems = problemsOf(envelope.error);
  return {
    kind: 'reject',
    reason: new MalformedPayloadError(name, problems).message,
    problems,
  };
}
