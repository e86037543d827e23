/** The plain-TS core of `<run-composer>`: what the composer allows, and why not, from the run and the conversation. */
import type { ConnectionStatus, RunStatus } from '../../store/index.ts';

/**
 * Where the composer stands: `ready` to send; `sending` a message (its run is being created);
 * `streaming` while the run goes on (stop is offered); `waiting` while the run waits for an
 * answer (the `<approval-prompt>`'s job: the composer is disabled); `unavailable` with no
 * conversation to send to.
 */
export type ComposerPhase = 'ready' | 'sending' | 'streaming' | 'waiting' | 'unavailable';

/** What the composer is told. */
export interface ComposerInput {
  /** There is a conversation to send to. */
  readonly conversation: boolean;
  /** A message is on its way. */
  readonly sending: boolean;
  /** The current run's status, or null without a run. */
  readonly status: RunStatus | null;
  /** The current run's connection. */
  readonly connection: ConnectionStatus | null;
  /** Open requests for input of the current run. */
  readonly pendingInputs: number;
}

/** What the composer shows. */
export interface ComposerView {
  readonly phase: ComposerPhase;
  /** Sending is possible now. */
  readonly canSend: boolean;
  /** The stop button is offered (the run can be cancelled). */
  readonly canStop: boolean;
  /** Why sending is not possible ('' when it is). */
  readonly reason: string;
}

const ENDED: readonly (RunStatus | null)[] = ['done', 'failed', 'cancelled'];

/** The composer's view of its inputs. */
export function composerView(input: ComposerInput): ComposerView {
  const live = input.status !== null && !ENDED.includes(input.status) && input.connection !== 'failed';
  if (live && input.pendingInputs > 0)
    return { phase: 'waiting', canSend: false, canStop: true, reason: 'The agent is waiting for your answer above.' };
  if (input.sending) return { phase: 'sending', canSend: false, canStop: false, reason: 'Sending…' };
  if (live)
    return { phase: 'streaming', canSend: false, canStop: true, reason: 'The agent is answering. Stop it to send.' };
  if (!input.conversation)
    return { phase: 'unavailable', canSend: false, canStop: false, reason: 'There is no conversation to send to.' };
  return { phase: 'ready', canSend: true, canStop: false, reason: '' };
}
