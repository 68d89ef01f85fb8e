export { main, type Command } from "./main.ts";
