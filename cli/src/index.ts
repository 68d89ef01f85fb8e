export { main, type Command } from "./main.ts";
export { DEFAULT_BACKGROUND_THREADS_NICE, lowerBackgroundThreads } from "./background-threads.ts";
