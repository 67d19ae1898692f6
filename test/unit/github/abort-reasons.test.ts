import { describe, expect, it } from 'vitest';
import {
  endingFor,
  ShutdownError,
  SupersededError,
} from '../../../src/github/review/abort-reasons.ts';

function aborted(reason: unknown): AbortSignal {
  const controller = new AbortController();
  controller.abort(reason);
  return controller.signal;
}

describe('endingFor', () => {
  it('cancels a superseded review naming the newer head', () => {
    const reason = new SupersededError('abc1234def'.padEnd(40, '0'));
    expect(endingFor(reason, aborted(reason), 600_000)).toEqual({
      conclusion: 'cancelled',
      title: 'Review cancelled',
      summary: 'Superseded by a newer push (abc1234)',
    });
  });

  it('cancels on shutdown', () => {
    const reason = new ShutdownError();
    expect(endingFor(reason, aborted(reason), 600_000)).toMatchObject({
      conclusion: 'cancelled',
      summary:
        'The server shut down before the review finished; push again or re-run.',
    });
  });

  it('times out when the job deadline passed', () => {
    const reason = new DOMException('The operation timed out.', 'TimeoutError');
    expect(endingFor(reason, aborted(reason), 600_000)).toMatchObject({
      conclusion: 'timed_out',
      summary: expect.stringContaining('10 minutes'),
    });
  });

  it('reports anything else as a failed review, neutral and never success', () => {
    const ending = endingFor(
      new Error('socket hang up'),
      new AbortController().signal,
      600_000,
    );
    expect(ending.conclusion).toBe('neutral');
    expect(ending.title).toBe('Review failed');
    expect(ending.summary).toContain('socket hang up');
  });

  it('uses the abort reason, not the error it surfaced as', () => {
    const reason = new ShutdownError();
    expect(
      endingFor(new Error('fetch aborted'), aborted(reason), 600_000)
        .conclusion,
    ).toBe('cancelled');
  });
});
