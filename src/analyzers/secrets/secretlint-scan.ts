import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import {
  creator as recommendedPreset,
  rules as recommendedRules,
} from '@secretlint/secretlint-rule-preset-recommend';
import { shortRuleName } from './providers.ts';
import { PRESET_ID, type SecretlintSettings } from './secretlint-config.ts';

// secretlint profiles every rule on every file by default, keeping each performance mark for good: in
// a long-running server that is a steady leak, and it costs time on every scan.
secretLintProfiler.setEnabled(false);

/** One credential secretlint found: where it is, never what it is. */
export interface SecretHit {
  /** Short secretlint rule name, e.g. `github`. */
  rule: string;
  /** secretlint's message id, e.g. `GITHUB_TOKEN`. */
  messageId: string;
  /** UTF-16 offsets into the scanned text, end exclusive. */
  start: number;
  end: number;
  /** 1-based lines the match spans. */
  startLine: number;
  endLine: number;
}

type SecretlintConfig = Parameters<typeof lintSource>[0]['options']['config'];

const FILTER_COMMENTS_ID = '@secretlint/secretlint-rule-filter-comments';

const REVIEW_CONFIG: SecretlintConfig = {
  rules: [{ id: PRESET_ID, rule: recommendedPreset }],
};
/**
 * Text for the model is masked regardless of `secretlint-disable` comments in it. The preset's rules
 * are listed one by one because secretlint ignores `disabled` on rules inside a preset.
 */
const REDACT_CONFIG: SecretlintConfig = {
  rules: recommendedRules
    .filter((rule) => rule.meta.id !== FILTER_COMMENTS_ID)
    .map((rule) => ({ id: rule.meta.id, rule })),
};

export interface ScanOptions {
  /** Honour `secretlint-disable` comments (reviews do; redaction does not). Default true. */
  disableComments?: boolean;
  /** The team's `.secretlintrc` settings (reviews only: redaction masks regardless). */
  settings?: SecretlintSettings;
}

function reviewConfig(
  settings: SecretlintSettings | undefined,
): SecretlintConfig {
  if (!settings) return REVIEW_CONFIG;
  return {
    rules: [{ id: PRESET_ID, rule: recommendedPreset, rules: settings.rules }],
  };
}

/** Container formats secretlint can only judge by reading the file from disk; text scanning skips them. */
const BINARY_KEYSTORES = /\.(p12|pfx|jks|keystore)$/i;

/**
 * Runs secretlint's recommended preset over one text. The path matters: several rules only look at
 * `.npmrc`, `package.json` or `*.json` files. `secretlint-disable` comments in the text are honoured.
 */
export async function scanSecrets(
  path: string,
  text: string,
  options: ScanOptions = {},
): Promise<SecretHit[]> {
  if (text.length === 0 || BINARY_KEYSTORES.test(path)) return [];
  const result = await lintSource({
    source: {
      content: text,
      filePath: path,
      ext: extensionOf(path),
      contentType: 'text',
    },
    options: {
      config:
        options.disableComments === false
          ? REDACT_CONFIG
          : reviewConfig(options.settings),
      maskSecrets: true,
    },
  });
  const disabled = options.settings?.disabled;
  return result.messages
    .filter((message) => !disabled?.has(message.ruleId))
    .map((message) => ({
      rule: shortRuleName(message.ruleId),
      messageId: message.messageId,
      start: message.range[0],
      end: message.range[1],
      startLine: message.loc.start.line,
      // A range ending at column 0 stops before that line (whole-file matches end that way).
      endLine: Math.max(
        message.loc.start.line,
        message.loc.end.column === 0
          ? message.loc.end.line - 1
          : message.loc.end.line,
      ),
    }));
}

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : '';
}
