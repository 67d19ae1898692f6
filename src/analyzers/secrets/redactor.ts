import type { SecretRedactor } from '../../core/ports.ts';
import {
  genericCredentialRanges,
  longTokenRanges,
  type Range,
} from './credential-patterns.ts';
import { maskRanges } from './mask.ts';
import { scanSecrets } from './secretlint-scan.ts';

/**
 * Masks credentials with `*` before text leaves for the model: everything secretlint's recommended
 * preset finds (ignoring `secretlint-disable` comments) plus generic credential shapes. Line breaks
 * are kept, so line numbers still match the diff.
 */
export function createSecretRedactor(): SecretRedactor {
  return {
    async redact(path: string, text: string): Promise<string> {
      const ranges: Range[] = genericCredentialRanges(text);
      try {
        for (const hit of await scanSecrets(path, text, {
          disableComments: false,
        }))
          ranges.push([hit.start, hit.end]);
      } catch {
        // Without the provider scan, mask every long token-like value rather than risk a leak.
        ranges.push(...longTokenRanges(text));
      }
      return maskRanges(text, ranges);
    },
  };
}
