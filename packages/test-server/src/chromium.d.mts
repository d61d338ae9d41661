/** Debian's chromium package; CHROMIUM_PATH points elsewhere (e.g. a Chrome on a developer's Mac). */
export declare const chromiumPath: string;
/** Headless, as root (no sandbox), and quiet on a closed network. */
export declare const chromiumArguments: readonly string[];
