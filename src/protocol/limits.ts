/** Largest WebSocket message the server accepts from a client; larger closes with 1009. */
export const MAX_WS_MESSAGE_BYTES = 64 * 1024;
/** Largest JSON request body the REST API accepts; larger answers 413. */
export const MAX_REQUEST_BODY_BYTES = 64 * 1024;
/** Longest `user_reply` text, in UTF-16 code units. */
export const MAX_REPLY_TEXT_LENGTH = 16 * 1024;
/** Largest single event (one SSE data block or WebSocket message) a client decodes by default. */
export const MAX_EVENT_BYTES = 8 * 1024 * 1024;
/** How often the server sends an SSE `: ping` comment. */
export const SSE_HEARTBEAT_MS = 15_000;
/** Longest long-poll wait the server grants, in seconds. */
export const MAX_POLL_WAIT_S = 30;
/** WebSocket close code for a message over the size limit (RFC 6455). */
export const CLOSE_TOO_BIG = 1009;
/** WebSocket close code for a policy violation such as an unknown run (RFC 6455). */
export const CLOSE_POLICY = 1008;
/** WebSocket close code sent when the run ended and nothing more will come. */
export const CLOSE_NORMAL = 1000;
/** WebSocket close code (application range): the run does not exist. Not retried. */
export const CLOSE_RUN_NOT_FOUND = 4404;
/** WebSocket close code (application range): the connection URL's query is invalid. Not retried. */
export const CLOSE_BAD_REQUEST = 4400;
/**
 * WebSocket close code (application range, 4000 + HTTP 410): the events after the asked seq are
 * no longer kept (reason `events_trimmed`). The client fetches the snapshot and goes on from its seq.
 */
export const CLOSE_EVENTS_TRIMMED = 4410;
