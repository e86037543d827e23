/** Where Chromium lives (`apt-get install -y chromium`). */
export declare const CHROMIUM_PATH: string;
/** Flags for a headless Chromium: no sandbox, no GPU, no background traffic, no QUIC. */
export declare const CHROMIUM_ARGS: readonly string[];
