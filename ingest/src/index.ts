// Terminal TCP/UDP servers, sessions, group-commit batching, live bus publishing.
export {};
