/**
 * What a change does to the backend, as facts read from the diff: the opening of the summary.
 * Deterministic and free; a model, when there is one, adds a short narrative of trade-offs.
 */
export interface ChangeMap {
  /** Per migration or schema file: tables, columns, indexes and constraints added, changed or dropped. */
  dataModel: Array<{ path: string; changes: string[] }>;
  /** Endpoints and operations added or removed (OpenAPI, routes in code), and what the contract checks found. */
  api: ChangeFact[];
  /** Calls to other services the change adds, with whether a timeout and a retry are visible at the call. */
  outboundCalls: OutboundCall[];
  /** Configuration and environment variables the change starts reading. */
  config: ChangeFact[];
  /** Queues, topics and background jobs the change touches. */
  messaging: ChangeFact[];
  /** The model's notes on trade-offs and deployment, one per chunk that gave one. */
  narrative: string[];
}

export interface ChangeFact {
  text: string;
  path: string;
  line?: number;
}

export interface OutboundCall extends ChangeFact {
  timeout: boolean;
  retry: boolean;
}

export function emptyChangeMap(): ChangeMap {
  return {
    dataModel: [],
    api: [],
    outboundCalls: [],
    config: [],
    messaging: [],
    narrative: [],
  };
}

export function isEmptyChangeMap(map: ChangeMap): boolean {
  return (
    map.dataModel.length +
      map.api.length +
      map.outboundCalls.length +
      map.config.length +
      map.messaging.length +
      map.narrative.length ===
    0
  );
}
