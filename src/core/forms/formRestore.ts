// Bringing a form session back after a window reload, the same way for every form: a create the
// record says succeeded stays shown as created; a create sent and never answered is looked for
// (name, team, time) with the submit kept off, never offered again at once.
import type { Disposable, RestoredCreate, SubmitState } from './exactlyOnce';
import type { FormSessionRecord } from './formSessions';

/** The part of a submission registry the form framework drives (every form's registry has it). */
export interface FormSubmissions {
  session(sessionId: string): {
    readonly requestName: string | undefined;
    onDidChange(listener: (state: SubmitState) => void): Disposable;
  };
  stateOf(sessionId: string): SubmitState;
  resume(sessionId: string, fallback?: RestoredCreate): Promise<SubmitState> | undefined;
  checkAgain(sessionId: string): Promise<SubmitState>;
  forget(sessionId: string): boolean;
  dispose(): void;
}

/** What the record says was created; the form shows it instead of a fresh submit. */
export function createdOutcome(record: FormSessionRecord | undefined): SubmitState | undefined {
  return record?.created ? { kind: 'created', id: record.created.id, name: record.created.name } : undefined;
}

/**
 * Restarts the search for a create the window sent before it reloaded (the ledger's intent, else
 * the record's note of it). Nothing happens for a session with nothing unanswered.
 */
export async function resumeUnanswered(
  submissions: Pick<FormSubmissions, 'resume'>,
  sessionId: string,
  record: FormSessionRecord | undefined,
  teamId: () => Promise<string | undefined>,
): Promise<void> {
  const pending = record?.pending;
  const team = pending ? ((await teamId()) ?? '') : '';
  void submissions.resume(
    sessionId,
    pending ? { name: pending.name, teamId: team, startedAtMs: pending.startedAtMs } : undefined,
  );
}
