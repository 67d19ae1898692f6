/**
 * Test code: a missing timeout or an empty catch in a test harms nobody, and routes registered in a
 * test are not part of the API. The code rules skip these files.
 */
const TEST_PATH = /(?:^|\/)(?:tests?|__tests__|specs?|e2e|testing)\/|\.(?:test|spec|e2e-spec)\.[cm]?[jt]s$|_test\.(?:go|py)$|(?:^|\/)test_[^/]*\.py$|(?:^|\/)conftest\.py$|Tests?\.java$|(?:^|\/)src\/test\//;

export function isTestFile(path: string): boolean {
  return TEST_PATH.test(path);
}
