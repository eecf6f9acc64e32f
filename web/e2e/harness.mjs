// The stack a browser test (or the first-screen benchmark) runs against: the real API binary on a
// random loopback port with a fresh SQLite database in a temporary folder, serving the built web
// app, with an operator account from the environment, and a loopback DNS server whose records the
// test publishes (the API's resolver points at it).
//
// Environment:
//   POSTWARDEN_API_BIN  the postwarden-api binary (default: $CARGO_TARGET_DIR/debug/postwarden-api)
//   POSTWARDEN_WEB_DIST the built web app (default: web/dist, built by `cargo xtask web`)
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');

export const OPERATOR = { username: 'operator', password: 'Operator-pass-123' };
export const PROVIDER_DOMAIN = 'postwarden.test';

/** A loopback authoritative DNS server (UDP). `set(name, type, values)` publishes records; names
 * it does not know answer NXDOMAIN, as a real zone would. */
export async function startDns() {
  const records = new Map(); // "name|TYPE" -> [data]
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, peer) => {
    let query;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const answers = [];
    let known = false;
    for (const q of query.questions ?? []) {
      const name = q.name.toLowerCase().replace(/\.$/, '');
      known ||= [...records.keys()].some((k) => k.startsWith(`${name}|`));
      for (const data of records.get(`${name}|${q.type}`) ?? []) {
        answers.push({ type: q.type, name: q.name, ttl: 60, class: 'IN', data });
      }
    }
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | (known ? 0 : 3), // rcode 3: NXDOMAIN
      questions: query.questions,
      answers,
    });
    socket.send(response, peer.port, peer.address);
  });
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    set(name, type, values) {
      records.set(`${name.toLowerCase().replace(/\.$/, '')}|${type}`, values);
    },
    close: () => new Promise((resolve) => socket.close(resolve)),
  };
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function apiBinary() {
  if (process.env.POSTWARDEN_API_BIN) return process.env.POSTWARDEN_API_BIN;
  const target = process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target');
  return path.join(target, 'debug', 'postwarden-api');
}

/** Starts the API (and a DNS server) and waits until it answers. `stop()` ends both and removes
 * the database. */
export async function startStack({ env = {} } = {}) {
  const binary = apiBinary();
  const webDist = process.env.POSTWARDEN_WEB_DIST ?? path.join(ROOT, 'web', 'dist');
  for (const [what, file] of [['the API binary', binary], ['the built web app', path.join(webDist, 'index.html')]]) {
    if (!fs.existsSync(file)) throw new Error(`${what} is missing at ${file} (see web/e2e/README.md)`);
  }
  const dns = await startDns();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'postwarden-e2e-'));
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const server = spawn(binary, ['serve'], {
    env: {
      PATH: process.env.PATH,
      POSTWARDEN_BIND: `127.0.0.1:${port}`,
      POSTWARDEN_DATA_DIR: dataDir,
      POSTWARDEN_WEB_DIR: webDist,
      POSTWARDEN_PUBLIC_URL: baseURL,
      POSTWARDEN_PROVIDER_DOMAIN: PROVIDER_DOMAIN,
      POSTWARDEN_DNS_RESOLVER: dns.address,
      POSTWARDEN_OPERATOR_USERNAME: OPERATOR.username,
      POSTWARDEN_OPERATOR_PASSWORD: OPERATOR.password,
      POSTWARDEN_LOG: 'warn',
      // No background renewals: what a journey sees never depends on the day it runs (a
      // reminder for periods ending within 30 days would fire in some months and not others).
      POSTWARDEN_RENEWAL_INTERVAL_SECS: '0',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let exited = null;
  server.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const stop = async () => {
    if (!exited) {
      server.kill('SIGTERM');
      await new Promise((resolve) => (exited ? resolve() : server.once('exit', resolve)));
    }
    await dns.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`the API exited before answering: ${JSON.stringify(exited)}`);
    }
    try {
      if ((await fetch(`${baseURL}/readyz`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error('the API did not answer /readyz within 30 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const api = (p, init) => apiCall(baseURL, p, init);
  const login = async (username, password) =>
    (await api('/auth/login', { method: 'POST', body: { login: username, password } })).access_token;
  return { baseURL, dns, dataDir, stop, api, login };
}

/** A JSON call to the API, for the steps a test does as the operator behind the scenes. */
async function apiCall(baseURL, p, { method = 'GET', token, body } = {}) {
  const response = await fetch(`${baseURL}/api/v1${p}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error(`${method} ${p} → ${response.status} ${text}`);
  return json;
}

/** Chromium's launch options on this machine (Debian's package; STACK.md). */
export const chromium = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
