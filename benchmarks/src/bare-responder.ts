/**
 * The nearest benchmark's machine floor: an HTTP/1.1 responder in a process of its own that answers every
 * request at once with the same small JSON body (a login token, so the benchmark's client can log in to it as
 * to the API). The client times it as it times the API, on the same machine at the same moment, so what the
 * machine itself adds to an answer (waking two processes, the kernel's own threads) is measured in the same
 * run. Prints its port on stdout; ends with its stdin.
 */
import { createServer, type Socket } from 'node:net';

const BODY = '{"token":"floor"}';
const ANSWER = `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${BODY.length}\r\nconnection: keep-alive\r\n\r\n${BODY}`;

/** Answers each complete request in what the socket has sent so far; returns what is left of the next one. */
function answerRequests(socket: Socket, buffered: Buffer): Buffer {
  for (;;) {
    const headEnd = buffered.indexOf('\r\n\r\n');
    if (headEnd < 0) return buffered;
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(buffered.toString('latin1', 0, headEnd))?.[1] ?? 0);
    if (buffered.length < headEnd + 4 + length) return buffered;
    socket.write(ANSWER);
    buffered = buffered.subarray(headEnd + 4 + length);
  }
}

const server = createServer((socket) => {
  socket.setNoDelay(true);
  let buffered: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = answerRequests(socket, buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]));
  });
  socket.on('error', () => socket.destroy());
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.stdin.resume();
process.stdin.once('end', () => process.exit(0));
