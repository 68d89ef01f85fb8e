// Throughput and latency benchmarks, each printed beside a baseline measured in the same run.
export {};
