import { describe, expect, it } from 'vitest';
import { createFailureModeAnalyzer } from '../../../../src/analyzers/failure-modes/index.ts';
import { findingsOf } from './change-set-builder.ts';

const RULE = 'failure-mode/swallowed-error';
const check = async (path: string, head: string) =>
  (await findingsOf(createFailureModeAnalyzer(), [{ path, head }])).filter(
    (f) => f.startsWith(RULE),
  );

describe('swallowed-error', () => {
  it('JavaScript: empty catch blocks and empty .catch() handlers [+failure-mode/swallowed-error]', async () => {
    const head = [
      'export async function save(user) {',
      '  try {',
      '    await repo.save(user);',
      '  } catch (err) {}',
      '  publish(user).catch(() => {});',
      '  try { audit(user) } catch {}',
      '}',
    ].join('\n');
    expect(await check('src/save.ts', head)).toEqual([
      `${RULE}@4:medium`,
      `${RULE}@5:medium`,
      `${RULE}@6:medium`,
    ]);
  });

  it('JavaScript: handled, commented or deliberately named catches are fine [-failure-mode/swallowed-error]', async () => {
    const head = [
      'export function parse(text) {',
      '  try { return JSON.parse(text); } catch (err) { logger.warn({ err }); return null; }',
      '}',
      'export function cleanup(path) {',
      '  try { fs.unlinkSync(path); } catch { /* already gone: nothing to clean up */ }',
      '  try { fs.rmdirSync(dir); } catch (_ignored) {}',
      '  promise.catch((err) => logger.error(err));',
      '}',
    ].join('\n');
    expect(await check('src/parse.js', head)).toEqual([]);
  });

  it('Python: bare except and except Exception with only pass; narrow exceptions are fine', async () => {
    const head = [
      'def load(path):', // 1
      '    try:',
      '        return read(path)',
      '    except:',
      '        pass', // 5
      '    try:',
      '        sync()',
      '    except Exception as exc:',
      '        pass',
      '    try:', // 10
      '        cache.delete(path)',
      '    except KeyError:',
      '        pass',
      '    try:',
      '        notify()', // 15
      '    except Exception:',
      '        logger.exception("notify failed")',
    ].join('\n');
    expect(await check('app/load.py', head)).toEqual([
      `${RULE}@4:medium`,
      `${RULE}@8:medium`,
    ]);
  });

  it('Go: an empty if err != nil block', async () => {
    const head = [
      'package store',
      'func Save(u User) error {',
      '  if err := db.Save(u); err != nil {',
      '  }',
      '  if err := cache.Set(u); err != nil {',
      '    return err',
      '  }',
      '  return nil',
      '}',
    ].join('\n');
    expect(await check('store/save.go', head)).toEqual([`${RULE}@3:medium`]);
  });

  it('Java: empty catch blocks unless the parameter says it is ignored or a comment explains it', async () => {
    const head = [
      'class Store {',
      '  void save(User u) {',
      '    try { repo.save(u); } catch (DataAccessException e) {}',
      '    try { cache.put(u); } catch (Exception ignored) {}',
      '    try { audit(u); } catch (Exception e) { /* audit is best effort */ }',
      '    try { index(u); } catch (Exception e) { log.warn("index failed", e); }',
      '  }',
      '}',
    ].join('\n');
    expect(await check('src/Store.java', head)).toEqual([`${RULE}@3:medium`]);
  });
});
