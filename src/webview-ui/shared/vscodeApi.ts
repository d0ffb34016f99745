// The typed face of `acquireVsCodeApi()` (which may be called only once per page). State is
// validated on the way back in: it may have been written by an older version of the form.
import type * as z from 'zod/mini';

interface RawVsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): unknown;
}

declare function acquireVsCodeApi(): RawVsCodeApi;

export interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  /** The saved state, or undefined when there is none or it does not match the schema. */
  getState(): State | undefined;
  setState(state: State): void;
}

export function wrapVsCodeApi<State>(raw: RawVsCodeApi, schema: z.ZodMiniType<State>): VsCodeApi<State> {
  return {
    postMessage: (message) => raw.postMessage(message),
    getState: () => {
      const parsed = schema.safeParse(raw.getState());
      return parsed.success ? parsed.data : undefined;
    },
    setState: (state) => {
      raw.setState(state);
    },
  };
}

export function getVsCodeApi<State>(schema: z.ZodMiniType<State>): VsCodeApi<State> {
  return wrapVsCodeApi(acquireVsCodeApi(), schema);
}
