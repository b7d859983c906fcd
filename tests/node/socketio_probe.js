// Drives the real socket.io-client (the library the Premiere panels use) against a clipdex server and prints one
// JSON line per observation, for tests/integration/realtime_socketio_test.cpp to assert on.
// Usage: node socketio_probe.js <server url> <websocket|polling|default|panel> <job id> [token [header|auth]]
//   the token goes in an Authorization: Bearer header (default) or in the Socket.IO CONNECT `auth` payload
//   websocket: transports ['websocket']            polling: transports ['polling']
//   default:   the client's defaults (long-polling, then the upgrade to websocket)
//   panel:     ['websocket', 'polling'] as the SDB panel (websocket first, polling as the fallback)
// Protocol with the test: after the request/response round trips it prints {"event":"ready"}; the test then
// publishes progress and the probe exits once both ingest_progress_update and progress_update carried the
// status "completed".
'use strict';
const { io } = require('socket.io-client');

const [url, mode, jobId, token, tokenVia = 'header'] = process.argv.slice(2);
const transports = { websocket: ['websocket'], polling: ['polling'], panel: ['websocket', 'polling'] }[mode];
const print = (event, data) => process.stdout.write(JSON.stringify({ event, data }) + '\n');

const options = { reconnection: false, timeout: 10000 };
if (transports) options.transports = transports;
if (token && tokenVia === 'auth') options.auth = { token };
else if (token) options.extraHeaders = { Authorization: `Bearer ${token}` };
const socket = io(url, options);

const deadline = setTimeout(() => { print('timeout', null); process.exit(1); }, 20000);
const finish = (code) => { clearTimeout(deadline); socket.disconnect(); setTimeout(() => process.exit(code), 50); };

// Resolves with the first `event` payload that satisfies `accept`.
const next = (event, accept = () => true) => new Promise((resolve) => {
  const listener = (data) => { if (accept(data)) { socket.off(event, listener); resolve(data); } };
  socket.on(event, listener);
});

for (const event of ['connection_status', 'pong', 'progress_subscribed', 'progress_error', 'response',
                     'response_error', 'ingest_progress_update', 'progress_update']) {
  socket.on(event, (data) => print(event, data));
}
// The Engine.IO connection opens before Socket.IO connects, on the first transport; an upgrade may follow.
// Server pings are counted (the client answers them itself).
let serverPings = 0;
socket.io.on('open', () => {
  print('open', { transport: socket.io.engine.transport.name });
  socket.io.engine.on('upgrade', (transport) => print('upgrade', { transport: transport.name }));
  socket.io.engine.on('ping', () => { serverPings += 1; });
});
socket.on('connect_error', (error) => { print('connect_error', { message: error.message }); finish(0); });
socket.on('disconnect', (reason) => print('disconnect', { reason }));

async function upgraded() {
  if (socket.io.engine.transport.name === 'websocket') return;
  await new Promise((resolve) => socket.io.engine.once('upgrade', resolve));
}

socket.on('connect', async () => {
  print('connect', { transport: socket.io.engine.transport.name });
  const status = next('connection_status');
  await status;
  socket.emit('ping');
  await next('pong');
  const ack = await new Promise((resolve) => socket.emit('ping', {}, resolve));
  print('ack', ack);
  socket.emit('subscribe_progress', { task_run_id: jobId, requestId: 'sub-1' });
  await next('progress_subscribed');
  socket.emit('subscribe_progress', { task_run_id: 'no-such-job', requestId: 'sub-2' });
  await next('progress_error');
  socket.emit('get_ingest_progress', { requestId: 'req-progress' });
  await next('response', (data) => data.requestId === 'req-progress');
  socket.emit('get_video_details', { requestId: 'req-missing-clip' });
  await next('response_error', (data) => data.requestId === 'req-missing-clip');
  socket.emit('search_request', { query: 'anything', limit: 5, requestId: 'req-search' });
  await Promise.race([next('response', (d) => d.requestId === 'req-search'),
                      next('response_error', (d) => d.requestId === 'req-search')]);
  socket.emit('no_such_event', { requestId: 'req-unknown' });
  await next('response_error', (data) => data.requestId === 'req-unknown');
  if (mode === 'default') await upgraded();
  if (serverPings === 0) await new Promise((resolve) => socket.io.engine.once('ping', resolve));
  const completed = (data) => data && data.status === 'completed';
  const finalState = Promise.all([next('ingest_progress_update', completed), next('progress_update', completed)]);
  print('ready', { transport: socket.io.engine.transport.name });
  await finalState;
  print('done', { transport: socket.io.engine.transport.name, server_pings: serverPings });
  finish(0);
});
