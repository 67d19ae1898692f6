import { describe, expect, it } from 'vitest';
import { addedFileContent } from '../../../src/core/diff/added-file-content.ts';

describe('addedFileContent', () => {
  it('rebuilds a new file from its patch, with the final newline', () => {
    expect(addedFileContent('@@ -0,0 +1,3 @@\n+one\n+\n+three')).toBe(
      'one\n\nthree\n',
    );
  });

  it('keeps a missing final newline missing', () => {
    expect(
      addedFileContent(
        '@@ -0,0 +1,2 @@\n+one\n+two\n\\ No newline at end of file',
      ),
    ).toBe('one\ntwo');
  });

  it('refuses patches that are not a whole new file', () => {
    expect(addedFileContent(undefined)).toBeUndefined();
    expect(addedFileContent('@@ -1,2 +1,3 @@\n a\n+b\n c')).toBeUndefined();
    expect(addedFileContent('@@ -0,0 +1,3 @@\n+one\n+two')).toBeUndefined(); // cut short
    expect(
      addedFileContent('@@ -0,0 +1,1 @@\n+a\n@@ -0,0 +5,1 @@\n+b'),
    ).toBeUndefined();
  });
});
