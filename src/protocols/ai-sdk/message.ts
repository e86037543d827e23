/**
 * The assistant's UI message as the AI SDK client builds it from the stream (`parts`: step starts,
 * text, reasoning, tools with their states). It goes back in `messages` with the next request, with
 * the tool parts the user decided set to `approval-responded`, as `useChat` sends it.
 */
import type { JsonObject } from '../shared/json.ts';

/** One part of a UI message. */
export type UiPart = JsonObject & { type: string };

/** The assistant message being streamed. */
export class AssistantMessage {
  /** Its id (from the `start` chunk; '' when the server gave none). */
  id = '';
  metadata: unknown = undefined;
  private parts: UiPart[] = [];
  /** Text and reasoning parts by their stream id. */
  private readonly blocks = new Map<string, UiPart>();
  private readonly tools = new Map<string, UiPart>();

  /** A step starts. */
  stepStart(): void {
    this.parts.push({ type: 'step-start' });
  }

  /** Drop every part since the last step start (reset-step), or all of them without one. */
  resetStep(): void {
    let last = -1;
    for (let i = 0; i < this.parts.length; i++) if (this.parts[i]!.type === 'step-start') last = i;
    const dropped = this.parts.slice(last + 1);
    this.parts = this.parts.slice(0, last + 1);
    for (const part of dropped) {
      for (const [id, block] of this.blocks) if (block === part) this.blocks.delete(id);
      for (const [id, tool] of this.tools) if (tool === part) this.tools.delete(id);
    }
  }

  /** Open a text or reasoning block. */
  open(kind: 'text' | 'reasoning', id: string): void {
    const part: UiPart = { type: kind, text: '', state: 'streaming' };
    this.blocks.set(`${kind}:${id}`, part);
    this.parts.push(part);
  }

  /** Append to an open block; false when it is not open. */
  append(kind: 'text' | 'reasoning', id: string, delta: string): boolean {
    const part = this.blocks.get(`${kind}:${id}`);
    if (part?.['state'] !== 'streaming') return false;
    part['text'] = `${String(part['text'])}${delta}`;
    return true;
  }

  /** Close a block; false when it is not open. */
  end(kind: 'text' | 'reasoning', id: string): boolean {
    const part = this.blocks.get(`${kind}:${id}`);
    if (part?.['state'] !== 'streaming') return false;
    part['state'] = 'done';
    return true;
  }

  /** True when a block is open. */
  isOpen(kind: 'text' | 'reasoning', id: string): boolean {
    return this.blocks.get(`${kind}:${id}`)?.['state'] === 'streaming';
  }

  /** The tool part of a call, created with its name (`dynamic` tools name themselves in the part). */
  tool(toolCallId: string, toolName?: string, dynamic?: boolean): UiPart | undefined {
    let part = this.tools.get(toolCallId);
    if (!part && toolName !== undefined) {
      part =
        dynamic === true
          ? { type: 'dynamic-tool', toolName, toolCallId, state: 'input-streaming' }
          : { type: `tool-${toolName}`, toolCallId, state: 'input-streaming' };
      this.tools.set(toolCallId, part);
      this.parts.push(part);
    }
    return part;
  }

  /** The tool part whose approval has this id. */
  approval(approvalId: string): UiPart | undefined {
    for (const part of this.tools.values()) {
      const approval = part['approval'] as JsonObject | undefined;
      if (approval?.['id'] === approvalId) return part;
    }
    return undefined;
  }

  /** Add a part of another kind (source, file, data). */
  push(part: UiPart): void {
    this.parts.push(part);
  }

  /** The message as the client sends it back. */
  toJSON(): JsonObject {
    return {
      id: this.id,
      role: 'assistant',
      parts: this.parts.map((p) => ({ ...p })),
      ...(this.metadata !== undefined && { metadata: this.metadata }),
    };
  }
}
