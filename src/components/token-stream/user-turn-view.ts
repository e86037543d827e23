/**
 * A user's message rendered by the host: `<token-stream>`'s `renderUserTurn` property, or a
 * `<template data-role="user">` child (user-template.ts). The rendering replaces the message's
 * text inside its turn (the frame, its role and copy button stay) and is made again, whole, when
 * the text or the status changes (a user's message is short, and arrives whole).
 */

/** What a custom rendering of a user's message gets. */
export interface UserTurnData {
  /** The message as sent (text, never markup). */
  readonly text: string;
  /** Its message id (the run's user turn's, or the pending turn's own until the run's arrives). */
  readonly messageId: string;
  /** The run it belongs to ('' while it is being sent). */
  readonly runId: string;
  /** `sending`, `sent` (shown before the run's own turn), `failed`, or `shown` (the run's own turn, or the history's). */
  readonly status: 'sending' | 'sent' | 'failed' | 'shown';
  /** Why it was not sent (`failed`), else ''. */
  readonly error: string;
}

/** Renders a user's message: a DOM node to show in place of its text, or null for the default. */
export type UserTurnRenderer = (turn: UserTurnData) => Node | null;

/** One user message drawn by a renderer (the same interface as MessageView for the stream). */
export class CustomUserView {
  /** The message element (`data-message-id`; the turn marks it `part="user-message"`). */
  readonly element: HTMLElement;
  private value = '';

  constructor(
    private readonly data: Omit<UserTurnData, 'text'>,
    private readonly render: UserTurnRenderer,
  ) {
    this.element = document.createElement('div');
    this.element.setAttribute('part', 'message');
    this.element.dataset['messageId'] = data.messageId;
  }

  /** Where a caret would go. */
  get end(): HTMLElement {
    return this.element;
  }

  /** The message's text. */
  get text(): string {
    return this.value;
  }

  /** More text arrived: drawn again, whole. */
  append(content: string): void {
    if (content === '') return;
    this.value += content;
    this.draw();
  }

  /** Show exactly `text`. */
  reset(text: string): void {
    this.value = text;
    this.draw();
  }

  private draw(): void {
    const node = this.render({ ...this.data, text: this.value });
    this.element.replaceChildren(node ?? document.createTextNode(this.value));
  }
}
