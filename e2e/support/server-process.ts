/**
 * The app server's own process, found from outside: whichever process holds the listening
 * socket on a port (serve.ts spawns `next start`, which may itself hand the socket to a child,
 * so a pid handed down from Playwright would not be the right one). Linux only: /proc.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { request } from 'node:http';

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols[1] local address "IP:PORT" (hex), cols[3] state (0A = LISTEN), cols[9] inode.
      if (cols.length < 10 || cols[3] !== '0A') continue;
      if (Number.parseInt(cols[1]!.split(':').pop()!, 16) === port) inodes.add(cols[9]!);
    }
  }
  return inodes;
}

/** Whether anything listens on `port` (any address, IPv4 or IPv6). */
export function isListening(port: number): boolean {
  return listeningInodes(port).size > 0;
}

/** The pid of the process listening on `port`, or throws. */
export function listeningPid(port: number): number {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) throw new Error(`Nothing listens on port ${port}.`);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const link = readlinkSync(`/proc/${entry}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
        if (inode && inodes.has(inode)) return Number(entry);
      } catch {
        // The fd closed while we looked.
      }
    }
  }
  throw new Error(`No process of ours holds the socket listening on port ${port}.`);
}

/** Resident set size of a process in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`No VmRSS for pid ${pid}.`);
  return Number(kb) * 1024;
}

export interface UploadResult {
  status: number;
  body: string;
  /** Bytes this client managed to write before the server answered or closed. */
  sent: number;
}

/**
 * POSTs `totalBytes` generated lazily in `chunkBytes` pieces with `Transfer-Encoding: chunked`
 * (no Content-Length), respecting backpressure, and stops writing as soon as the server answers.
 */
export function chunkedUpload(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  totalBytes: number,
  chunkBytes = 64 * 1024,
): Promise<UploadResult> {
  const url = new URL(path, baseUrl);
  const chunk = Buffer.alloc(chunkBytes, 'a');
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } }, (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8'), sent });
        req.destroy();
      });
      res.on('error', reject);
    });
    // Once the server has answered it may close mid-upload; that is the point, not a failure.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && sent < totalBytes) {
        const piece = totalBytes - sent >= chunk.length ? chunk : chunk.subarray(0, totalBytes - sent);
        sent += piece.length;
        if (!req.write(piece)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}
