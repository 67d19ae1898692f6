/**
 * Messages between the analyzer pool and its worker processes. Everything here is plain data (sent
 * with the structured-clone serialisation), so nothing that crosses can carry code or a live handle.
 */
import type { ChangeSet, Revision } from '../../core/change-set.ts';
import type { Config } from '../../config/schema.ts';
import type { Lens } from '../../core/finding.ts';
import type { AnalyzerOutput, ScopedFile } from '../../core/ports.ts';

/** A change set without its content reader and repository view: the worker reads contents back through the pool. */
export type ChangeSetData = Omit<ChangeSet, 'contents' | 'repository'> & {
  canListHeadPaths: boolean;
};

export type ToWorker =
  | {
      kind: 'analyze';
      task: number;
      changeSet: ChangeSetData;
      files: ScopedFile[];
      lenses: Lens[];
      config: Config;
    }
  | { kind: 'redact'; task: number; path: string; text: string }
  | { kind: 'abort'; task: number; reason: string }
  | { kind: 'answer'; call: number; value?: string | string[]; error?: string };

export type FromWorker =
  | { kind: 'ready' }
  | {
      kind: 'read';
      task: number;
      call: number;
      revision: Revision;
      path: string;
    }
  | { kind: 'list'; task: number; call: number }
  | {
      kind: 'log';
      task: number;
      level: 'debug' | 'info' | 'warn' | 'error';
      obj: object | string;
      msg?: string;
    }
  | {
      kind: 'done';
      task: number;
      output: AnalyzerOutput | string;
      rssMb: number;
    }
  | { kind: 'failed'; task: number; message: string };
