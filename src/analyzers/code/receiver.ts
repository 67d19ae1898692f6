import type { Call } from './calls.ts';

/** The receiver's text without whitespace (`this.kafka.producer`), or '' for a plain function call. */
export function receiverText(call: Call): string {
  return call.receiver ? call.receiver.text().replace(/\s+/g, '') : '';
}

/** The last name of the receiver: `producer` for `this.kafka.producer`. */
export function receiverName(call: Call): string {
  const text = receiverText(call);
  const parts = text.split('.');
  return (parts.at(-1) ?? '').replace(/\(.*$/, '');
}
