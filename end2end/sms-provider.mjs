// A local stand-in for two Chinese cloud SMS services, so tests never send a real SMS.
// Both listen on one port; a request is Aliyun's if it has `x-acs-action`, Tencent's if
// it has `X-TC-Action`. Signatures are checked as the providers publish them, against the
// Host header the request actually carries.
//
// Aliyun SMS (dysmsapi 2017-05-25, action SendSms), V3 signature ACS3-HMAC-SHA256:
//   headers host, x-acs-action, x-acs-version, x-acs-date (yyyy-MM-ddTHH:mm:ssZ, within
//   15 min), x-acs-signature-nonce (single use), x-acs-content-sha256 = hex sha256(body),
//   Authorization: ACS3-HMAC-SHA256 Credential=<AK>,SignedHeaders=<a;b>,Signature=<hex>
//   with Signature = hex HMAC-SHA256(secret, "ACS3-HMAC-SHA256\n" + hex sha256(
//   method\nURI\ncanonical query\ncanonical headers\nsigned headers\nbody hash)).
//   Parameters (PhoneNumbers, SignName, TemplateCode, TemplateParam, OutId) in the query
//   string as the official SDK sends them (POST, empty body), or in a form body.
//   → 200 {Code:"OK",Message:"OK",BizId,RequestId}; business errors → 200 {Code:"isv.…",
//   Message,RequestId}; gateway errors → 4xx {RequestId,HostId,Code,Message,Recommend}
//   (SignatureDoesNotMatch 400, InvalidAccessKeyId.NotFound 404, Throttling.User 400, …).
//   Receipts: POST JSON array of {phone_number,send_time,report_time,success,err_code,
//   err_msg,sms_size,biz_id,out_id}; the receiver answers HTTP 200 {"code":<number>,…},
//   else 3 retries (the service waits 1, 5, 10 minutes; here 1, 5, 10 × the delay).
// Tencent Cloud SMS (sms.tencentcloudapi.com 2021-01-11, action SendSms), TC3-HMAC-SHA256:
//   POST JSON {PhoneNumberSet,SmsSdkAppId,SignName,TemplateId,TemplateParamSet,
//   SessionContext} with X-TC-Action, X-TC-Version, X-TC-Region, X-TC-Timestamp (within
//   5 min) and Authorization: TC3-HMAC-SHA256 Credential=<id>/<UTC date>/sms/tc3_request,
//   SignedHeaders=content-type;host, Signature=<hex>; header values are lower-cased when
//   signed; key = HMAC chain "TC3"+key → date → "sms" → "tc3_request".
//   → 200 {Response:{SendStatusSet:[{SerialNo,PhoneNumber,Fee,SessionContext,Code:"Ok",
//   Message:"send success",IsoCode:"CN"}],RequestId}}; per-number failures carry their
//   Code in SendStatusSet; whole-request failures → 200 {Response:{Error:{Code,Message},
//   RequestId}}. Receipts: POST JSON array (≤100) of {user_receive_time,nationcode,mobile,
//   report_status,errmsg,description,sid}; the receiver answers {"result":0,"errmsg":"OK"},
//   else 2 retries.
//
// Usage: node sms-provider.mjs [--port N] [--rate R] [--aliyun-receipts URL]
//   [--tencent-receipts URL] [--receipt-delay-ms D]. Prints `listening <port>`.
// Credentials: ALIYUN_AK_ID, ALIYUN_AK_SECRET, TENCENT_SECRET_ID, TENCENT_SECRET_KEY,
// TENCENT_SDK_APP_ID (test defaults below). Sign name 老街街道; templates SMS_0001 / 100001.
// Numbers: not an 11-digit mainland mobile → invalid-number error; ending in 0004 →
// accepted, receipt says not delivered; anything else is delivered.
// Test controls: GET /_sent, POST /_fail {provider,code,times}, POST /_receipts/flush,
// POST /_reset.
import http from 'node:http';
import { createHash, createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';

const args = process.argv.slice(2);
const arg = (name, dflt) => { const i = args.indexOf(name); return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt; };
const port = Number(arg('--port', 0)) || 0;
const RATE = Number(arg('--rate', 50)) || 50;
const DELAY = Number.isFinite(Number(arg('--receipt-delay-ms', 200))) ? Number(arg('--receipt-delay-ms', 200)) : 200;
const RECEIPT_URL = { aliyun: arg('--aliyun-receipts', ''), tencent: arg('--tencent-receipts', '') };
const ALI_ID = process.env.ALIYUN_AK_ID ?? 'LTAItestkey0001';
const ALI_SECRET = process.env.ALIYUN_AK_SECRET ?? 'tongxin-aliyun-secret';
const TC_ID = process.env.TENCENT_SECRET_ID ?? 'AKIDtongxintest0001';
const TC_KEY = process.env.TENCENT_SECRET_KEY ?? 'tongxin-tencent-key';
const TC_APP = process.env.TENCENT_SDK_APP_ID ?? '1400000001';
const SIGN = '老街街道';
const ALI_TEMPLATE = 'SMS_0001';
const TC_TEMPLATE = '100001';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, text, enc) => createHmac('sha256', key).update(text, 'utf8').digest(enc);
const same = (a, b) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
// RFC 3986: only A-Z a-z 0-9 - _ . ~ stay as they are; space is %20.
const rfc3986 = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const beijing = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');
const digits = (n) => Array.from({ length: n }, (_, i) => randomInt(i ? 0 : 1, 10)).join('');
// +86 / 0086 / 86 / no prefix, then an 11-digit mainland mobile → the 11 digits, else null.
const mainland = (raw) => /^(?:\+86|0086|86)?(1[3-9]\d{9})$/.exec(String(raw ?? '').trim())?.[1] ?? null;

let sent = [];                                   // every accepted message, for GET /_sent
let failNext = { aliyun: [], tencent: [] };      // injected failures: {code, times}
let hits = { aliyun: [], tencent: [] };          // request times in the last second
let pending = { aliyun: [], tencent: [] };       // receipts not yet pushed
const timers = { aliyun: null, tencent: null };
const waiting = new Set();                       // receipt batches waiting to be retried
const nonces = new Map();                        // Aliyun signature nonces → first use (ms)

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
  res.end(JSON.stringify(body));
}
function injected(provider) {
  const f = failNext[provider][0];
  if (!f) return null;
  if (--f.times <= 0) failNext[provider].shift();
  return f.code;
}
function throttled(provider) {
  const now = Date.now();
  hits[provider] = hits[provider].filter((t) => now - t < 1000);
  if (hits[provider].length >= RATE) return true;
  hits[provider].push(now);
  return false;
}

// ---------------------------------------------------------------- Aliyun (dysmsapi)
const ALI_ERRORS = {
  IncompleteSignature: [400, 'The request signature does not conform to Aliyun standards.'],
  SignatureDoesNotMatch: [400, 'Specified signature is not matched with our calculation.'],
  'InvalidAccessKeyId.NotFound': [404, 'Specified access key is not found.'],
  'InvalidTimeStamp.Format': [400, 'Specified time stamp or date value is not well formatted.'],
  'InvalidTimeStamp.Expired': [400, 'Specified time stamp or date value is expired.'],
  SignatureNonceUsed: [400, 'Specified signature nonce was used already.'],
  'Throttling.User': [400, 'Request was denied due to user flow control.'],
  'Throttling.Api': [400, 'Request was denied due to api flow control.'],
  'InvalidApi.NotFound': [404, 'Specified api is not found, please check your url and method.'],
  InvalidVersion: [400, 'Specified parameter Version is not valid.'],
  InternalError: [500, 'The request processing has failed due to some unknown error, exception or failure.'],
  ServiceUnavailable: [503, 'The request has failed due to a temporary failure of the server.'],
  'isv.MOBILE_NUMBER_ILLEGAL': [200, '手机号码格式错误'],
  'isv.MOBILE_COUNT_OVER_LIMIT': [200, '手机号码数量超过限制'],
  'isv.BUSINESS_LIMIT_CONTROL': [200, '触发分钟级流控Permits:1'],
  'isv.SMS_TEMPLATE_ILLEGAL': [200, '该账号下找不到对应模板'],
  'isv.SMS_SIGNATURE_ILLEGAL': [200, '该账号下找不到对应签名'],
  'isv.INVALID_JSON_PARAM': [200, 'JSON参数不合法，只接受字符串值'],
  'isv.DAY_LIMIT_CONTROL': [200, '触发日发送限额'],
  'isv.AMOUNT_NOT_ENOUGH': [200, '账户余额不足'],
  'isv.OUT_OF_SERVICE': [200, '业务停机'],
};
function aliFail(req, res, code, message) {
  const [status, text] = ALI_ERRORS[code] ?? [/^is[vp]\./.test(code) ? 200 : 400, code];
  const RequestId = randomUUID().toUpperCase();
  if (status === 200) return send(res, 200, { Message: message ?? text, RequestId, Code: code });
  send(res, status, {
    RequestId, HostId: req.headers.host ?? '', Code: code, Message: message ?? text,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=Dysmsapi&requestId=${RequestId}`,
  });
}
// Query parameters decoded, sorted by name, each name and value RFC 3986 encoded, `k=v&…`.
function aliCanonicalQuery(raw) {
  const dec = (s) => decodeURIComponent(s.replace(/\+/g, ' '));
  return raw.split('&').filter(Boolean)
    .map((kv) => { const i = kv.indexOf('='); return i < 0 ? [dec(kv), ''] : [dec(kv.slice(0, i)), dec(kv.slice(i + 1))]; })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
}
function aliyunCanonical(method, path, rawQuery, headers, signed, body) {
  const names = [...signed].map((k) => k.toLowerCase()).sort();
  const canonical = [method, path, aliCanonicalQuery(rawQuery),
    names.map((k) => `${k}:${String(headers[k] ?? '').trim()}\n`).join(''), names.join(';'), sha256(body)].join('\n');
  return { canonical, stringToSign: `ACS3-HMAC-SHA256\n${sha256(canonical)}` };
}

function aliyun(req, res, body, url) {
  const code = injected('aliyun');
  if (code) return aliFail(req, res, code);
  const h = req.headers;
  const auth = /^ACS3-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(h.authorization ?? '');
  if (!auth) return aliFail(req, res, 'IncompleteSignature');
  const [, akId, signedList, signature] = auth;
  const signed = signedList.toLowerCase().split(';');
  // Every common request header present (host, x-acs-*) must be signed.
  const required = ['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'];
  const present = Object.keys(h).filter((k) => k === 'host' || k.startsWith('x-acs-'));
  if (required.some((k) => h[k] === undefined) || present.some((k) => !signed.includes(k)) || signed.some((k) => h[k] === undefined)) {
    return aliFail(req, res, 'IncompleteSignature');
  }
  if (akId !== ALI_ID) return aliFail(req, res, 'InvalidAccessKeyId.NotFound');
  const date = h['x-acs-date'];
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(date) || Number.isNaN(Date.parse(date))) return aliFail(req, res, 'InvalidTimeStamp.Format');
  if (Math.abs(Date.parse(date) - Date.now()) > 15 * 60e3) return aliFail(req, res, 'InvalidTimeStamp.Expired');
  const { stringToSign } = aliyunCanonical(req.method, url.pathname, url.search.slice(1), h, signed, body);
  if (!same(hmac(ALI_SECRET, stringToSign, 'hex'), signature)) {
    return aliFail(req, res, 'SignatureDoesNotMatch', `${ALI_ERRORS.SignatureDoesNotMatch[1]} server string to sign is:${stringToSign}`);
  }
  const nonce = h['x-acs-signature-nonce'];
  for (const [n, t] of nonces) if (Date.now() - t > 15 * 60e3) nonces.delete(n);
  if (nonces.has(nonce)) return aliFail(req, res, 'SignatureNonceUsed');
  nonces.set(nonce, Date.now());
  if (h['x-acs-version'] !== '2017-05-25') return aliFail(req, res, 'InvalidVersion');
  if (h['x-acs-action'] !== 'SendSms') return aliFail(req, res, 'InvalidApi.NotFound');
  if (throttled('aliyun')) return aliFail(req, res, 'Throttling.User');

  const params = Object.fromEntries(url.searchParams);
  if (/application\/x-www-form-urlencoded/i.test(h['content-type'] ?? '')) {
    Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  }
  for (const name of ['PhoneNumbers', 'SignName', 'TemplateCode']) {
    if (!params[name]) return aliFail(req, res, `Missing${name}`, `${name} is mandatory for this action.`);
  }
  const numbers = params.PhoneNumbers.split(',');
  if (numbers.length > 1000) return aliFail(req, res, 'isv.MOBILE_COUNT_OVER_LIMIT');
  const phones = numbers.map(mainland);
  if (phones.includes(null)) return aliFail(req, res, 'isv.MOBILE_NUMBER_ILLEGAL');
  if (params.SignName !== SIGN) return aliFail(req, res, 'isv.SMS_SIGNATURE_ILLEGAL');
  if (params.TemplateCode !== ALI_TEMPLATE) return aliFail(req, res, 'isv.SMS_TEMPLATE_ILLEGAL');
  let templateParams = {};
  if (params.TemplateParam) {
    try { templateParams = JSON.parse(params.TemplateParam); } catch { return aliFail(req, res, 'isv.INVALID_JSON_PARAM'); }
  }
  const BizId = digits(19);   // one BizId per request, shared by all its numbers
  for (const phone of phones) {
    accept('aliyun', { phone, sign: params.SignName, template: params.TemplateCode, params: templateParams, id: BizId, outId: params.OutId ?? '' });
  }
  send(res, 200, { Code: 'OK', Message: 'OK', BizId, RequestId: randomUUID().toUpperCase() });
}

// ---------------------------------------------------------------- Tencent (sms 2021-01-11)
const TC_ERRORS = {
  'AuthFailure.InvalidAuthorization': 'Authorization in the request header is invalid.',
  'AuthFailure.SecretIdNotFound': 'Key does not exist. Check if the key has been deleted or disabled in the console, and if not, check if the key is correctly entered.',
  'AuthFailure.SignatureExpire': 'Signature expired. Timestamp and server time cannot differ by more than five minutes.',
  'AuthFailure.SignatureFailure': 'The provided credentials could not be validated. Please check your signature is correct.',
  RequestLimitExceeded: 'The number of requests exceeds the frequency limit.',
  InvalidAction: 'The API does not exist.',
  NoSuchVersion: 'The API version does not exist.',
  InternalError: 'Internal error.',
  'FailedOperation.FailResolvePacket': 'Failed to parse the request packet.',
  'InvalidParameterValue.SdkAppIdNotExist': 'The SdkAppId does not exist.',
  'LimitExceeded.PhoneNumberCountLimit': 'The number of phone numbers in one request exceeds 200.',
};
// Codes reported per number, inside SendStatusSet (message wording is not documented).
const TC_PER_NUMBER = {
  'InvalidParameterValue.IncorrectPhoneNumber': 'incorrect phone number format',
  'FailedOperation.SignatureIncorrectOrUnapproved': 'signature format is incorrect or signature is not approved',
  'FailedOperation.TemplateIncorrectOrUnapproved': 'template is not approved or request content does not match the approved template content',
  'FailedOperation.TemplateParamSetNotMatchApprovedTemplate': 'request content does not match the template content',
  'FailedOperation.PhoneNumberInBlacklist': 'phone number is in the blocklist',
  'LimitExceeded.PhoneNumberDailyLimit': 'the number of messages sent to this phone number today exceeds the limit',
  'LimitExceeded.PhoneNumberOneHourLimit': 'the number of messages sent to this phone number within 1 hour exceeds the limit',
  'LimitExceeded.PhoneNumberThirtySecondLimit': 'the number of messages sent to this phone number within 30 seconds exceeds the limit',
  'LimitExceeded.PhoneNumberSameContentDailyLimit': 'the same content was sent to this phone number too many times today',
  'LimitExceeded.DeliveryFrequencyLimit': 'the frequency limit policy was hit',
};
const tcFail = (res, code, message) => send(res, 200, { Response: { Error: { Code: code, Message: message ?? TC_ERRORS[code] ?? code }, RequestId: randomUUID() } });

function tencentCanonical(method, rawQuery, headers, signed, body, timestamp) {
  const names = [...signed].map((k) => k.toLowerCase()).sort();
  const date = new Date(Number(timestamp) * 1000).toISOString().slice(0, 10);
  const canonical = [method, '/', method === 'POST' ? '' : rawQuery,
    names.map((k) => `${k}:${String(headers[k] ?? '').trim().toLowerCase()}\n`).join(''), names.join(';'), sha256(body)].join('\n');
  const stringToSign = ['TC3-HMAC-SHA256', String(timestamp), `${date}/sms/tc3_request`, sha256(canonical)].join('\n');
  return { canonical, stringToSign, date };
}
function tencentSignature(secretKey, date, stringToSign) {
  const kSigning = hmac(hmac(hmac(`TC3${secretKey}`, date), 'sms'), 'tc3_request');
  return hmac(kSigning, stringToSign, 'hex');
}

function tencent(req, res, body, url) {
  const code = injected('tencent');
  if (code && !TC_PER_NUMBER[code]) return tcFail(res, code);
  const h = req.headers;
  const auth = /^TC3-HMAC-SHA256\s+Credential=([^/\s]+)\/(\d{4}-\d\d-\d\d)\/([\w-]+)\/tc3_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(h.authorization ?? '');
  if (!auth) return tcFail(res, 'AuthFailure.InvalidAuthorization');
  const [, secretId, , , signedList, signature] = auth;
  const signed = signedList.toLowerCase().split(';');
  if (!signed.includes('content-type') || !signed.includes('host') || signed.some((k) => h[k] === undefined)) {
    return tcFail(res, 'AuthFailure.InvalidAuthorization');
  }
  const ts = h['x-tc-timestamp'];
  if (!/^\d+$/.test(ts ?? '')) return tcFail(res, 'MissingParameter', 'The request is missing a required parameter `Timestamp`.');
  if (Math.abs(Number(ts) - Date.now() / 1000) > 300) return tcFail(res, 'AuthFailure.SignatureExpire');
  if (secretId !== TC_ID) return tcFail(res, 'AuthFailure.SecretIdNotFound');
  // Real endpoints never see a port; also accept a client that signed the bare host name.
  const hosts = [...new Set([h.host, String(h.host).replace(/:\d+$/, '')])];
  const good = hosts.some((host) => {
    const { stringToSign, date } = tencentCanonical(req.method, url.search.slice(1), { ...h, host }, signed, body, ts);
    return date === auth[2] && auth[3] === 'sms' && same(tencentSignature(TC_KEY, date, stringToSign), signature);
  });
  if (!good) return tcFail(res, 'AuthFailure.SignatureFailure');
  if (h['x-tc-version'] !== '2021-01-11') return tcFail(res, 'NoSuchVersion');
  if (h['x-tc-action'] !== 'SendSms') return tcFail(res, 'InvalidAction');
  if (!h['x-tc-region']) return tcFail(res, 'MissingParameter', 'The request is missing a required parameter `Region`.');
  if (throttled('tencent')) return tcFail(res, 'RequestLimitExceeded');

  let p;
  try { p = JSON.parse(body.toString('utf8') || '{}'); } catch { return tcFail(res, 'FailedOperation.FailResolvePacket'); }
  for (const name of ['PhoneNumberSet', 'SmsSdkAppId', 'TemplateId']) {
    if (p[name] === undefined) return tcFail(res, 'MissingParameter', `The request is missing a required parameter \`${name}\`.`);
  }
  if (!Array.isArray(p.PhoneNumberSet)) return tcFail(res, 'InvalidParameter', 'PhoneNumberSet must be an array.');
  if (p.PhoneNumberSet.length > 200) return tcFail(res, 'LimitExceeded.PhoneNumberCountLimit');
  if (String(p.SmsSdkAppId) !== TC_APP) return tcFail(res, 'InvalidParameterValue.SdkAppIdNotExist');
  const context = p.SessionContext ?? '';
  const SendStatusSet = p.PhoneNumberSet.map((raw) => {
    const phone = mainland(raw);
    const failure = code ?? (!phone ? 'InvalidParameterValue.IncorrectPhoneNumber'
      : p.SignName !== SIGN ? 'FailedOperation.SignatureIncorrectOrUnapproved'
        : String(p.TemplateId) !== TC_TEMPLATE ? 'FailedOperation.TemplateIncorrectOrUnapproved' : null);
    if (failure) {
      return { SerialNo: '', PhoneNumber: phone ? `+86${phone}` : String(raw), Fee: 0, SessionContext: context, Code: failure, Message: TC_PER_NUMBER[failure] ?? failure, IsoCode: '' };
    }
    const SerialNo = `5000:${digits(28)}`;
    accept('tencent', { phone, sign: p.SignName, template: String(p.TemplateId), params: p.TemplateParamSet ?? [], id: SerialNo });
    return { SerialNo, PhoneNumber: `+86${phone}`, Fee: 1, SessionContext: context, Code: 'Ok', Message: 'send success', IsoCode: 'CN' };
  });
  send(res, 200, { Response: { SendStatusSet, RequestId: randomUUID() } });
}

// ---------------------------------------------------------------- receipts
function accept(provider, m) {
  const at = Date.now();
  sent.push({ provider, phone: m.phone, sign: m.sign, template: m.template, params: m.params, id: m.id, at: new Date(at).toISOString() });
  if (!RECEIPT_URL[provider]) return;
  const delivered = !m.phone.endsWith('0004');
  const reported = beijing(at + DELAY);
  pending[provider].push(provider === 'aliyun'
    ? { phone_number: m.phone, send_time: beijing(at), report_time: reported, success: delivered,
      err_code: delivered ? 'DELIVERED' : 'UNDELIV', err_msg: delivered ? '用户接收成功' : 'UNDELIV',
      sms_size: '1', biz_id: m.id, out_id: m.outId }
    : { user_receive_time: reported, nationcode: '86', mobile: m.phone, report_status: delivered ? 'SUCCESS' : 'FAIL',
      errmsg: delivered ? 'DELIVRD' : 'UNDELIV', description: delivered ? '用户短信送达成功' : '用户短信未送达', sid: m.id });
  timers[provider] ??= setTimeout(() => { timers[provider] = null; batches(provider).forEach(deliver); }, DELAY);
}
function batches(provider) {
  const items = pending[provider];
  pending[provider] = [];
  const out = [];
  for (let i = 0; i < items.length; i += 100) out.push({ provider, items: items.slice(i, i + 100), attempt: 0, timer: null });
  return out;
}
async function post(provider, items) {
  try {
    const r = await fetch(RECEIPT_URL[provider], {
      method: 'POST', headers: { 'content-type': 'application/json;charset=utf-8' },
      body: JSON.stringify(items), signal: AbortSignal.timeout(3000),
    });
    const text = await r.text();
    if (r.status !== 200) return false;
    const reply = JSON.parse(text);
    return provider === 'aliyun' ? typeof reply.code === 'number' : reply.result === 0;
  } catch { return false; }
}
const RETRY = { aliyun: [1, 5, 10], tencent: [1, 5] };   // × the receipt delay
async function deliver(batch) {
  waiting.delete(batch);
  clearTimeout(batch.timer);
  if (await post(batch.provider, batch.items)) return batch.items.length;
  const wait = RETRY[batch.provider][batch.attempt++];
  if (wait === undefined) {
    console.error(`sms-provider: ${batch.provider} receipts dropped after ${batch.attempt} attempts`);
    return 0;
  }
  batch.timer = setTimeout(() => deliver(batch), wait * Math.max(DELAY, 50));
  waiting.add(batch);
  return 0;
}
async function flush() {
  const all = [...waiting];
  for (const provider of ['aliyun', 'tencent']) {
    clearTimeout(timers[provider]);
    timers[provider] = null;
    all.push(...batches(provider));
  }
  const counts = await Promise.all(all.map(deliver));
  return { pushed: counts.reduce((a, b) => a + b, 0), retrying: [...waiting].reduce((a, b) => a + b.items.length, 0) };
}
function reset() {
  for (const provider of ['aliyun', 'tencent']) { clearTimeout(timers[provider]); timers[provider] = null; }
  for (const batch of waiting) clearTimeout(batch.timer);
  waiting.clear();
  nonces.clear();
  sent = [];
  failNext = { aliyun: [], tencent: [] };
  hits = { aliyun: [], tencent: [] };
  pending = { aliyun: [], tencent: [] };
}

// ---------------------------------------------------------------- server
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const body = Buffer.concat(chunks);
    const url = new URL(req.url, 'http://localhost');
    try {
      if (url.pathname === '/_sent' && req.method === 'GET') return send(res, 200, sent);
      if (url.pathname === '/_fail' && req.method === 'POST') {
        const { provider, code, times = 1 } = JSON.parse(body.toString('utf8') || '{}');
        if (!failNext[provider] || !code) return send(res, 400, { error: 'need {provider:"aliyun"|"tencent", code, times}' });
        failNext[provider].push({ code: String(code), times: Math.max(1, Number(times) || 1) });
        return send(res, 200, { ok: true });
      }
      if (url.pathname === '/_receipts/flush' && req.method === 'POST') return send(res, 200, await flush());
      if (url.pathname === '/_reset' && req.method === 'POST') { reset(); return send(res, 200, { ok: true }); }
      if (req.headers['x-acs-action'] !== undefined) return aliyun(req, res, body, url);
      if (req.headers['x-tc-action'] !== undefined) return tencent(req, res, body, url);
      send(res, 404, { error: 'not an Aliyun (x-acs-action) or Tencent (X-TC-Action) request' });
    } catch (e) {
      send(res, 400, { error: String(e?.message ?? e) });
    }
  });
});
const stop = () => { reset(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
server.listen(port, '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
