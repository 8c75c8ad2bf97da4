// A local GB/T 28181 video platform for tests, speaking the HTTP API of the widely used
// open-source platform (wvp-GB28181-pro) as it publishes it:
//   GET|POST /api/user/login?username=&password=<md5 hex of the password>
//     → {code:0,msg:"成功",data:{accessToken,username,...}} and header `access-token`;
//       a wrong password → {code:100,msg:"用户名或密码错误"}.
//   Every other /api call needs header `access-token` (a token from login, 30 minutes):
//     without one → HTTP 401 {code:401,msg:"请登录后重新请求"}.
//   GET /api/play/start/{deviceId}/{channelId}
//     → {code:0,msg:"成功",data:StreamContent} with app, stream, ip, flv, ws_flv, fmp4,
//       hls, https_hls, ws_hls, rtmp, rtsp, rtc, mediaServerId, ...;
//       unknown device → {code:100,msg:"设备不存在"}; unknown channel →
//       {code:100,msg:"通道不存在"}; a device that never answers → {code:100,msg:"点播超时"}.
//   GET /api/device/query/snap/{deviceId}/{channelId} (no login) → the JPEG, or 204.
// It serves a real HLS stream made by ffmpeg (Debian's package) from a test pattern, at
// the `hls` address it hands out: /rtp/{deviceId}_{channelId}/hls.m3u8.
//
// Usage: node video-platform.mjs [--port N] [--no-stream]. Prints `listening <port>`.
// Devices: 41100000001320000001 (channels ...01 to ...03), 41100000001320000009
// (registered but offline: play times out).
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const port = Number(args[args.indexOf('--port') + 1] || 0) || 0;
const stream = !args.includes('--no-stream');
const USER = process.env.VIDEO_USER ?? 'admin';
const PASSWORD = process.env.VIDEO_PASSWORD ?? 'admin';
const md5 = (s) => createHash('md5').update(s, 'utf8').digest('hex');

const DEVICES = {
  '41100000001320000001': { online: true, channels: ['41100000001320000001', '41100000001320000002', '41100000001320000003'] },
  '41100000001320000009': { online: false, channels: ['41100000001320000009'] },
};
const tokens = new Map(); // token → expiry (ms)
const TOKEN_MS = 30 * 60 * 1000;

const dir = mkdtempSync(join(tmpdir(), 'wvp-'));
let ffmpeg = null;
if (stream) {
  // A live test pattern: 2-second H.264 segments, the playlist keeps the last six.
  ffmpeg = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-re',
    '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10',
    '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
    '-profile:v', 'baseline', '-g', '20', '-keyint_min', '20', '-sc_threshold', '0',
    '-f', 'hls', '-hls_time', '2', '-hls_list_size', '6', '-hls_flags', 'delete_segments',
    join(dir, 'hls.m3u8')], { stdio: ['ignore', 'inherit', 'inherit'] });
  // A snapshot of the first channel.
  spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i',
    'testsrc=size=320x240:rate=1', '-frames:v', '1', join(dir, 'snap.jpg')]);
}
const stop = () => { ffmpeg?.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}
const ok = (res, data, headers) => send(res, 200, { code: 0, msg: '成功', data }, headers);
const fail = (res, code, msg) => send(res, 200, { code, msg });

function authed(req, url) {
  const t = req.headers['access-token'] ?? url.searchParams.get('access-token');
  const exp = t && tokens.get(t);
  return exp && exp > Date.now();
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const path = url.pathname;
  res.setHeader('access-control-allow-origin', '*');
  if (path === '/api/user/login') {
    const u = url.searchParams.get('username');
    const p = url.searchParams.get('password');
    if (u !== USER || p !== md5(PASSWORD)) return fail(res, 100, '用户名或密码错误');
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, Date.now() + TOKEN_MS);
    return ok(res, { accessToken: token, username: USER, serverId: '000000', id: 1,
      role: { id: 1, name: 'admin', authority: '0' }, pushKey: md5('push'), enabled: true,
      accountNonExpired: true, credentialsNonExpired: true, accountNonLocked: true },
    { 'access-token': token });
  }
  let m = path.match(/^\/api\/device\/query\/snap\/(\d+)\/(\d+)$/);
  if (m) {
    const file = join(dir, 'snap.jpg');
    if (!stream || !existsSync(file) || !DEVICES[m[1]]?.online) { res.writeHead(204); return res.end(); }
    res.writeHead(200, { 'content-type': 'image/png' });
    return res.end(readFileSync(file));
  }
  m = path.match(/^\/rtp\/(\d+)_(\d+)\/([\w.-]+)$/);
  if (m) {
    const file = join(dir, m[3]);
    if (!existsSync(file)) { res.writeHead(404); return res.end(); }
    res.writeHead(200, {
      'content-type': m[3].endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t',
      'cache-control': 'no-cache',
    });
    return res.end(readFileSync(file));
  }
  if (path.startsWith('/api/')) {
    if (!authed(req, url)) return send(res, 401, { code: 401, msg: '请登录后重新请求' });
    m = path.match(/^\/api\/play\/start\/([^/]+)\/([^/]+)$/);
    if (m) {
      const [, device, channel] = m;
      const d = DEVICES[device];
      if (!d) return fail(res, 100, '设备不存在');
      if (!d.channels.includes(channel)) return fail(res, 100, '通道不存在');
      if (!d.online) return setTimeout(() => fail(res, 100, '点播超时'), 200);
      const host = req.headers.host;
      const name = `${device}_${channel}`;
      return ok(res, {
        app: 'rtp', stream: name, ip: host.split(':')[0], mediaServerId: 'zlmediakit-local',
        flv: `http://${host}/rtp/${name}.live.flv`, https_flv: null, ws_flv: `ws://${host}/rtp/${name}.live.flv`,
        wss_flv: null, fmp4: `http://${host}/rtp/${name}.live.mp4`, https_fmp4: null,
        ws_fmp4: null, wss_fmp4: null, hls: `http://${host}/rtp/${name}/hls.m3u8`,
        https_hls: null, ws_hls: null, wss_hls: null, ts: `http://${host}/rtp/${name}.live.ts`,
        https_ts: null, ws_ts: null, wss_ts: null, rtmp: `rtmp://${host.split(':')[0]}:1935/rtp/${name}`,
        rtmps: null, rtsp: `rtsp://${host.split(':')[0]}:554/rtp/${name}`, rtsps: null,
        rtc: `http://${host}/index/api/webrtc?app=rtp&stream=${name}&type=play`, rtcs: null,
        mediaInfo: null, startTime: null, endTime: null, duration: 0, progress: 0,
        transcodeStream: null, key: null, serverId: '000000', downLoadFilePath: null,
      });
    }
    return send(res, 404, { code: 404, msg: '资源未找到' });
  }
  res.writeHead(404);
  res.end();
});
server.listen(port, '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
