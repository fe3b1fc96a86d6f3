// Types of source-folders.js (a JavaScript module, so that eslint.config.js can import it too).
export declare const SERVICES: readonly string[];
export declare const SHARED_FOLDERS: readonly string[];
export declare const SOURCE_FOLDERS: readonly string[];
