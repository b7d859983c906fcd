// A socket.io-client (the library the Premiere panels use) remote-controlled by a test over stdin/stdout, for
// tests/integration/live_progress_e2e_test.cpp: every event the server sends is printed as one JSON line
// {"event","data"}; every stdin line {"emit":"<event>","data":{…}} is emitted, {"close":true} disconnects.
// Usage: node socketio_driver.js <server url> [token]
//   connects as the SDB panel does (transports ['websocket', 'polling']); a token goes in an Authorization:
//   Bearer header.
'use strict';
const readline = require('readline');
const { io } = require('socket.io-client');

const [url, token] = process.argv.slice(2);
const print = (event, data) => process.stdout.write(JSON.stringify({ event, data: data === undefined ? null : data }) + '\n');

const options = { reconnection: false, timeout: 10000, transports: ['websocket', 'polling'] };
if (token) options.extraHeaders = { Authorization: `Bearer ${token}` };
const socket = io(url, options);

const finish = (code) => { socket.disconnect(); setTimeout(() => process.exit(code), 50); };
socket.onAny((event, data) => print(event, data));
socket.on('connect', () => print('connect', { transport: socket.io.engine.transport.name }));
socket.on('connect_error', (error) => { print('connect_error', { message: error.message }); finish(0); });
socket.on('disconnect', (reason) => print('disconnect', { reason }));

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line);
  if (command.close) finish(0);
  else socket.emit(command.emit, command.data);
}).on('close', () => finish(0));
