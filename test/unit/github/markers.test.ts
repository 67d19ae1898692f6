import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  isOwnComment,
  marker,
  readMarker,
  stripMarker,
  withMarker,
} from '../../../src/github/history/markers.ts';
import { sanitizeMarkdown } from '../../../src/report/sanitize.ts';

const Schema = z.object({ n: z.int(), text: z.string() });
const BOT = 'backend-architect[bot]';

describe('markers', () => {
  it('round-trips data at the end of a body, whatever the text holds', () => {
    const data = { n: 3, text: 'closes --> early? <!-- nested --> & more' };
    const body = withMarker('Visible text', 'state', data);
    expect(
      body.startsWith('Visible text\n\n<!-- backend-architect:state '),
    ).toBe(true);
    // The payload cannot end the HTML comment early.
    expect(body.indexOf('-->')).toBe(body.length - 3);
    expect(readMarker(body, 'state', Schema)).toEqual(data);
    expect(stripMarker(body)).toBe('Visible text');
  });

  it('reads only the trailing marker of the asked kind, and only when it matches the schema', () => {
    expect(
      readMarker(
        withMarker('x', 'finding', { n: 1, text: 'a' }),
        'state',
        Schema,
      ),
    ).toBeUndefined();
    expect(
      readMarker(
        `${marker('state', { n: 1, text: 'a' })}\n\nthen more text`,
        'state',
        Schema,
      ),
    ).toBeUndefined();
    expect(
      readMarker(
        withMarker('x', 'state', { n: 'one', text: 'a' }),
        'state',
        Schema,
      ),
    ).toBeUndefined();
    expect(
      readMarker(
        'x <!-- backend-architect:state {not json} -->',
        'state',
        Schema,
      ),
    ).toBeUndefined();
    expect(readMarker(undefined, 'state', Schema)).toBeUndefined();
  });

  it('cannot be forged through untrusted text the app renders: sanitizing breaks the comment opener', () => {
    const forged = `Looks harmless ${marker('state', { n: 9, text: 'forged' })}`;
    const rendered = sanitizeMarkdown(forged);
    expect(readMarker(rendered, 'state', Schema)).toBeUndefined();
    // The app's own marker, added after sanitizing, is the one that counts.
    expect(
      readMarker(
        withMarker(rendered, 'state', { n: 1, text: 'real' }),
        'state',
        Schema,
      ),
    ).toEqual({ n: 1, text: 'real' });
  });

  it('believes only comments of the app`s own bot account', () => {
    expect(isOwnComment({ login: BOT, type: 'Bot' }, BOT)).toBe(true);
    expect(
      isOwnComment({ login: 'Backend-Architect[bot]', type: 'Bot' }, BOT),
    ).toBe(true);
    // A person, another app, or a user who named themselves like the bot.
    expect(isOwnComment({ login: 'mallory', type: 'User' }, BOT)).toBe(false);
    expect(isOwnComment({ login: 'other-app[bot]', type: 'Bot' }, BOT)).toBe(
      false,
    );
    expect(isOwnComment({ login: BOT, type: 'User' }, BOT)).toBe(false);
    expect(isOwnComment(null, BOT)).toBe(false);
  });

  it('recognises the comments of a person whose token posted the review', () => {
    expect(isOwnComment({ login: 'Octocat', type: 'User' }, 'octocat')).toBe(
      true,
    );
    // An app whose bot shares the login's spelling is someone else.
    expect(isOwnComment({ login: 'octocat', type: 'Bot' }, 'octocat')).toBe(
      false,
    );
    expect(isOwnComment({ login: 'mallory', type: 'User' }, 'octocat')).toBe(
      false,
    );
  });
});
