import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../../../src/analyzers/security/checks/index.ts';
import { added } from './build-input.ts';
import { analyze } from './run.ts';

/** Words that open every check's gate, so each check walks each language's tree. */
const ALL_GATES =
  'select where ${x} #{x} " + x $where req.body find( exec jwt md5 random rejectUnauthorized InsecureSkipVerify verify_mode VERIFY_NONE cors token';

const SOURCES: Record<string, string> = {
  'src/a.ts': `// ${ALL_GATES}\nexport const f = (x) => x;\n`,
  'src/a.js': `// ${ALL_GATES}\nexport const f = (x) => x;\n`,
  'app/a.py': `# ${ALL_GATES}\ndef f(x):\n    return x\n`,
  'pkg/a.go': `package pkg\n// ${ALL_GATES}\nfunc F(x int) int { return x }\n`,
  'src/main/java/A.java': `// ${ALL_GATES}\nclass A { int f(int x) { return x; } }\n`,
  'src/main/kotlin/A.kt': `// ${ALL_GATES}\nfun f(x: Int) = x\n`,
  'app/a.rb': `# ${ALL_GATES}\ndef f(x)\n  x\nend\n`,
};

describe('every check in every language', () => {
  it('opens every gate with the probe text', () => {
    for (const check of CHECKS)
      expect(check.gate.every((pattern) => pattern.test(ALL_GATES))).toBe(true);
  });

  it('runs without errors and without findings on harmless code', async () => {
    const output = await analyze(
      ...Object.entries(SOURCES).map(([path, text]) => added(path, text)),
    );
    expect(output.notes).toEqual([]);
    expect(output.findings).toEqual([]);
  });
});
