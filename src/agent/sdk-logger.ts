import type { ClientOptions } from '@anthropic-ai/sdk';
import type { Logger } from '../core/logger.ts';

type SdkLogger = NonNullable<ClientOptions['logger']>;

/** Routes the SDK's own messages (retries, warnings) into the app's structured logger. */
export function toSdkLogger(logger: Logger): SdkLogger {
  const forward =
    (level: keyof Logger) =>
    (message: string, ...rest: unknown[]): void => {
      logger[level](
        rest.length > 0
          ? { component: 'anthropic-sdk', details: rest }
          : { component: 'anthropic-sdk' },
        message,
      );
    };
  return {
    debug: forward('debug'),
    info: forward('info'),
    warn: forward('warn'),
    error: forward('error'),
  };
}
