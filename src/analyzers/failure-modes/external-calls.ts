import type { SgNode } from '@ast-grep/napi';
import { callOf, type Call } from '../code/calls.ts';
import type { CallSite } from '../code/calls.ts';
import { callSitesIn } from '../code/file-index.ts';
import { bindingsOf } from '../code/imports.ts';
import { receiverName, receiverText } from '../code/receiver.ts';
import type { LanguageFamily, SourceFile } from '../code/source-file.ts';
import { isFunction, namedChildren } from '../code/syntax.ts';
import { goHttpNames, isDefaultClientCall } from './http/go-timeouts.ts';
import { jsHttpCalls } from './http/js-http-calls.ts';
import { pythonHttpCalls } from './http/python-http-calls.ts';

/** A call that leaves the process with an effect the database cannot roll back. */
export interface ExternalCall {
  node: SgNode;
  kind: 'http' | 'message' | 'email';
  label: string;
}

const MESSAGING_RECEIVER =
  /producer|kafka|sqs|sns|ses|pubsub|publisher|channel|topic|queue|rabbit|nats|broker|eventbridge|kinesis/i;
const MAIL_RECEIVER = /mail|smtp|transporter|sendgrid|postmark|ses/i;

const CANDIDATES: Record<LanguageFamily, ReadonlySet<string>> = {
  js: new Set([
    'publish',
    'publishBatch',
    'sendMessage',
    'sendMessageBatch',
    'sendToQueue',
    'sendMail',
    'sendEmail',
    'produce',
    'send',
    'add',
  ]),
  python: new Set([
    'delay',
    'apply_async',
    'send_task',
    'publish',
    'basic_publish',
    'send_message',
    'send_messages',
    'produce',
    'send',
    'send_mail',
    'send_mass_mail',
    'send_email',
    'urlopen',
  ]),
  go: new Set([
    'Do',
    'Publish',
    'PublishMsg',
    'PublishWithContext',
    'SendMessage',
    'Produce',
    'WriteMessages',
    'SendMail',
  ]),
  java: new Set([
    'getForObject',
    'getForEntity',
    'postForObject',
    'postForEntity',
    'postForLocation',
    'patchForObject',
    'exchange',
    'put',
    'delete',
    'retrieve',
    'exchangeToMono',
    'exchangeToFlux',
    'send',
    'sendAsync',
    'convertAndSend',
    'sendDefault',
  ]),
};

/** HTTP requests, message publishing and e-mail sending among `sites`. */
export function externalCalls(
  file: SourceFile,
  sites: readonly CallSite[],
): ExternalCall[] {
  const found = new Map<number, ExternalCall>();
  const add = (call: ExternalCall) => found.set(call.node.id(), call);
  if (file.family === 'js')
    for (const http of jsHttpCalls(file, sites))
      if (http.kind === 'request')
        add({
          node: http.call.node,
          kind: 'http',
          label: `${http.call.callee}()`,
        });
  if (file.family === 'python') {
    for (const http of pythonHttpCalls(file, sites)) {
      if (!['Client', 'AsyncClient', 'Timeout'].includes(http.member))
        add({
          node: http.call.node,
          kind: 'http',
          label: `${http.call.callee}()`,
        });
    }
  }
  if (file.family === 'go') {
    const http = goHttpNames(file);
    for (const site of sites)
      if (http.length > 0 && isDefaultClientCall(site.callee, http))
        add({ node: site.node, kind: 'http', label: `${site.callee}()` });
  }
  for (const site of sites) {
    if (!CANDIDATES[file.family].has(site.name) || found.has(site.node.id()))
      continue;
    const call = callOf(site.node);
    const kind = call ? classify(call, file.family) : undefined;
    if (call && kind) add({ node: site.node, kind, label: `${call.callee}()` });
  }
  return [...found.values()];
}

function classify(
  call: Call,
  family: LanguageFamily,
): ExternalCall['kind'] | undefined {
  const name = call.name;
  const receiver = receiverName(call);
  switch (family) {
    case 'js':
      if (name === 'sendMail' || name === 'sendEmail') return 'email';
      if (name === 'send')
        return MAIL_RECEIVER.test(receiver)
          ? 'email'
          : MESSAGING_RECEIVER.test(receiver)
            ? 'message'
            : undefined;
      if (name === 'add')
        return /queue$/i.test(receiver) ? 'message' : undefined;
      return call.receiver ? 'message' : undefined;
    case 'python':
      if (name === 'urlopen') return 'http';
      if (['send_mail', 'send_mass_mail', 'send_email'].includes(name))
        return 'email';
      if (name === 'send')
        return MAIL_RECEIVER.test(receiver)
          ? 'email'
          : MESSAGING_RECEIVER.test(receiver)
            ? 'message'
            : undefined;
      return call.receiver ? 'message' : undefined;
    case 'go':
      if (name === 'SendMail') return 'email';
      if (name === 'Do')
        return /client$/i.test(receiver) &&
          !/redis|rdb|cache|db/i.test(receiverText(call))
          ? 'http'
          : undefined;
      return 'message';
    case 'java':
      if (
        [
          'getForObject',
          'getForEntity',
          'postForObject',
          'postForEntity',
          'postForLocation',
          'patchForObject',
        ].includes(name)
      )
        return 'http';
      if (['exchange', 'put', 'delete'].includes(name))
        return /rest(?:Template|Client)$/i.test(receiver) ? 'http' : undefined;
      if (['retrieve', 'exchangeToMono', 'exchangeToFlux'].includes(name))
        return 'http';
      if (name === 'send' || name === 'sendAsync') {
        if (/mailSender/i.test(receiver)) return 'email';
        if (/httpClient|client$/i.test(receiver)) return 'http';
        return /kafkaTemplate|producer|jmsTemplate|streamBridge/i.test(receiver)
          ? 'message'
          : undefined;
      }
      if (name === 'convertAndSend' || name === 'sendDefault') return 'message';
      return undefined;
  }
}

/**
 * An external call one step away: the call site invokes a function this file imports from another
 * changed file, and that function makes the call (`capturePayment()` → `fetch`).
 */
export function externalCallViaImport(
  file: SourceFile,
  site: CallSite,
  imported: (specifier: string) => SourceFile | undefined,
): { call: ExternalCall; file: SourceFile } | undefined {
  if (file.family !== 'js' || site.callee.includes('.')) return undefined;
  const binding = bindingsOf(file).get(site.callee);
  if (!binding?.module.startsWith('.')) return undefined;
  const other = imported(binding.module);
  if (other?.family !== 'js') return undefined;
  const fn = exportedFunction(other, binding.member);
  const call = fn ? externalCalls(other, callSitesIn(fn, 'js'))[0] : undefined;
  return call ? { call, file: other } : undefined;
}

/** `export function name`, `export const name = () => ...`, or the default export. */
function exportedFunction(file: SourceFile, name: string): SgNode | undefined {
  for (const statement of namedChildren(file.root)) {
    if (statement.kind() !== 'export_statement') continue;
    const declaration =
      statement.field('declaration') ?? statement.field('value');
    if (!declaration) continue;
    if (
      isFunction(declaration, 'js') &&
      (name === 'default'
        ? statement.text().startsWith('export default')
        : declaration.field('name')?.text() === name)
    )
      return declaration;
    if (declaration.kind() === 'lexical_declaration') {
      for (const declarator of namedChildren(declaration)) {
        const value = declarator.field('value');
        if (
          declarator.field('name')?.text() === name &&
          value &&
          isFunction(value, 'js')
        )
          return value;
      }
    }
  }
  return undefined;
}
