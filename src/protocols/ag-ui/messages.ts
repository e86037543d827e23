/**
 * The AG-UI conversation as its clients keep it: the messages a run started with, plus what the
 * agent streamed (assistant text, tool calls, tool results). Sent back as `messages` of the next
 * run's RunAgentInput, as `@ag-ui/client` does.
 */
import { isObject, type JsonObject } from '../shared/json.ts';

/** An AG-UI message (the fields this kit writes; others are passed through as received). */
export type AgUiMessage = JsonObject & { id: string; role: string };

/** The conversation of one thread. */
export class Conversation {
  private readonly list: AgUiMessage[] = [];
  private readonly byId = new Map<string, AgUiMessage>();

  /** Start from the messages the caller gave (invalid entries are left out). */
  constructor(initial: unknown) {
    if (Array.isArray(initial)) for (const m of initial) if (isMessage(m)) this.put({ ...m });
  }

  /** True when a message with this id is known. */
  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Add a message, or replace the one with its id. */
  put(message: AgUiMessage): void {
    const index = this.byId.has(message.id) ? this.list.findIndex((m) => m.id === message.id) : -1;
    this.byId.set(message.id, message);
    if (index >= 0) this.list[index] = message;
    else this.list.push(message);
  }

  /** Append streamed text to an assistant (or other) message, creating it. */
  appendText(id: string, role: string, delta: string): void {
    const current = this.byId.get(id);
    const content = typeof current?.['content'] === 'string' ? current['content'] : '';
    this.put({ ...(current ?? { id, role }), content: content + delta });
  }

  /** Record a complete tool call on its parent assistant message (created when absent). */
  addToolCall(parentId: string, call: { id: string; name: string; arguments: string }): void {
    const current = this.byId.get(parentId) ?? { id: parentId, role: 'assistant' };
    const calls = Array.isArray(current['toolCalls']) ? (current['toolCalls'] as unknown[]) : [];
    this.put({
      ...current,
      toolCalls: [
        ...calls,
        { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } },
      ],
    });
  }

  /** Every message, in order (copies). */
  toArray(): AgUiMessage[] {
    return this.list.map((m) => ({ ...m }));
  }
}

function isMessage(value: unknown): value is AgUiMessage {
  return isObject(value) && typeof value['id'] === 'string' && typeof value['role'] === 'string';
}
