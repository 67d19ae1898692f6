/**
 * Test code: a missing timeout or an empty catch in a test harms nobody, deliberately insecure setups
 * there are not shipped, and routes registered in a test are not part of the API. Every code rule
 * skips these files, so one file is test code to every lens or to none.
 */
const TEST_DIRECTORY =
  /(?:^|\/)(?:tests?|__tests__|__mocks__|specs?|testing|e2e|testdata|fixtures)\//i;
const TEST_FILE_NAME = /\.(?:test|spec|e2e-spec)\.[cm]?[jt]s$/i;
const TEST_FILE_SUFFIX =
  /(?:_test\.(?:go|py)|_spec\.rb|Tests?\.(?:java|kt)|IT\.java)$/;
const PYTHON_TEST_FILE = /(?:^|\/)(?:test_[^/]*|conftest)\.py$/;

export function isTestFile(path: string): boolean {
  return (
    TEST_DIRECTORY.test(path) ||
    TEST_FILE_NAME.test(path) ||
    TEST_FILE_SUFFIX.test(path) ||
    PYTHON_TEST_FILE.test(path)
  );
}
