/**
 * The HTTP log record: one request paired with its response (Zeek http.log style), built from the two reduced
 * message heads (parser.ts) and what the stream analyzer measured (body lengths, interim responses, anomalies of
 * the stream). Pure; holds no header value other than those HttpHead already keeps.
 */
import type { FormPasswordScan } from './form-scan.js';
import type { HttpHead } from './parser.js';
import type { XmlBodyCapture, XmlMetadata } from './xml-body.js';

/** One request/response exchange. Request fields are null when the request was not captured, response fields when
 * no response was (the connection ended, or bytes were missing). */
export interface HttpTransaction {
  /** 1-based position of the exchange in its connection (pipelined requests count in order). */
  trans_depth: number;
  /** Request method as sent. */
  method: string | null;
  /** Host header. */
  host: string | null;
  /** Request target without query values: path, `?` and parameter names each followed by `=` (uri.ts). */
  uri: string | null;
  /** Request version ("HTTP/1.1"). */
  version: string | null;
  /** User-Agent. */
  user_agent: string | null;
  /** Host of the Referer URL. */
  referrer_host: string | null;
  /** Request header names in wire order (fingerprint). */
  request_headers: string[];
  /** Request Content-Type. */
  request_content_type: string | null;
  /** Request Content-Length header value. */
  request_content_length: number | null;
  /** Request body bytes seen (after removing the chunked coding; bytes lost to a capture gap counted). */
  request_body_len: number;
  /** Request Upgrade header (websocket, h2c). */
  upgrade: string | null;
  /** Authorization (else Proxy-Authorization) scheme: Basic, Digest, NTLM, Negotiate, Bearer, or as sent. */
  auth_scheme: string | null;
  /** User name from Basic, Digest or NTLM credentials (never the password). */
  auth_user: string | null;
  /** Digest realm. */
  auth_realm: string | null;
  /** NTLM domain. */
  auth_domain: string | null;
  /** NTLM workstation (the client's host name). */
  auth_host: string | null;
  /** A password crossed the network in clear: Basic credentials (the password itself is never stored). */
  cleartext_password: boolean;
  /** Basic credentials were a default user/password pair (data/findings/; tested when seen, never stored). */
  default_credential: boolean;
  /** A password was sent in the request target (userinfo or a password-named query parameter). */
  password_in_uri: boolean;
  /** A URL-encoded form body had a password-named field (a login form posted in clear; the value is not stored). */
  password_in_form: boolean;
  /** Cookie pairs sent (names and values are not stored). */
  cookie_count: number;
  /** Status code of the final response. */
  status_code: number | null;
  /** Its reason phrase. */
  reason: string | null;
  /** Its version. */
  response_version: string | null;
  /** The last interim (1xx, not 101) response before it: code and reason. */
  info_code: number | null;
  info_reason: string | null;
  /** Server header. */
  server: string | null;
  /** X-Powered-By header. */
  x_powered_by: string | null;
  /** Response header names in wire order (fingerprint). */
  response_headers: string[];
  /** Response Content-Type. */
  response_content_type: string | null;
  /** Response Content-Length header value. */
  response_content_length: number | null;
  /** Response body bytes seen (after removing the chunked coding; bytes lost to a capture gap counted). */
  response_body_len: number;
  /** Set-Cookie headers received (values not stored). */
  set_cookie_count: number;
  /** Authentication challenges of the response (WWW-Authenticate, Proxy-Authenticate): schemes in order. */
  challenge_schemes: string[];
  /** The first realm named by those challenges (the server's name for its protected space). */
  challenge_realm: string | null;
  /** Anomalies of the request head, the response heads and the stream (names in HTTP_ANOMALIES), without repeats. */
  anomalies: string[];
  /** A device self-description read from an XML response body (UPnP device description, DPWS metadata; xml-body.ts). */
  xml_metadata: XmlMetadata | null;
}

/** One exchange being assembled by the stream analyzer. */
export interface Exchange {
  depth: number;
  /** Capture time (µs) of the request's first byte, else of the response's. */
  ts: number;
  request: HttpHead | null;
  requestBodyLen: number;
  /** The scan of a URL-encoded form request body, if it is one. */
  form: FormPasswordScan | null;
  interim: HttpHead | null;
  response: HttpHead | null;
  responseBodyLen: number;
  /** The start of an XML response body, kept to be read for a device self-description. */
  xml: XmlBodyCapture | null;
  /** Stream-level anomalies (gap, truncated_body, unpaired_response, …). */
  anomalies: string[];
  /** Emitted already: later body bytes are not counted. */
  done: boolean;
}

/** A new exchange at position `depth`, first seen at `ts`. */
export function newExchange(depth: number, ts: number): Exchange {
  return { depth, ts, request: null, requestBodyLen: 0, form: null, interim: null, response: null, responseBodyLen: 0, xml: null, anomalies: [], done: false };
}

/** The log record of an exchange. */
export function transactionRecord(x: Exchange): HttpTransaction {
  const q = x.request;
  const r = x.response;
  const auth = q?.auth ?? null;
  const anomalies = new Set([...(q?.anomalies ?? []), ...(x.interim?.anomalies ?? []), ...(r?.anomalies ?? []), ...x.anomalies]);
  return {
    trans_depth: x.depth,
    method: q?.method ?? null,
    host: q?.host ?? null,
    uri: q?.uri ?? null,
    version: q?.version ?? null,
    user_agent: q?.user_agent ?? null,
    referrer_host: q?.referrer_host ?? null,
    request_headers: q?.header_names ?? [],
    request_content_type: q?.content_type ?? null,
    request_content_length: q?.content_length ?? null,
    request_body_len: x.requestBodyLen,
    upgrade: q?.upgrade ?? null,
    auth_scheme: auth?.scheme ?? null,
    auth_user: auth?.user ?? null,
    auth_realm: auth?.realm ?? null,
    auth_domain: auth?.domain ?? null,
    auth_host: auth?.host ?? null,
    cleartext_password: auth?.cleartext_password ?? false,
    default_credential: auth?.default_credential ?? false,
    password_in_uri: q?.password_in_uri ?? false,
    password_in_form: x.form?.found ?? false,
    cookie_count: q?.cookie_count ?? 0,
    status_code: r?.status_code ?? null,
    reason: r?.reason ?? null,
    response_version: r?.version ?? null,
    info_code: x.interim?.status_code ?? null,
    info_reason: x.interim?.reason ?? null,
    server: r?.server ?? null,
    x_powered_by: r?.x_powered_by ?? null,
    response_headers: r?.header_names ?? [],
    response_content_type: r?.content_type ?? null,
    response_content_length: r?.content_length ?? null,
    response_body_len: x.responseBodyLen,
    set_cookie_count: r?.set_cookie_count ?? 0,
    challenge_schemes: (r?.challenges ?? []).map((c) => c.scheme),
    challenge_realm: (r?.challenges ?? []).find((c) => c.realm !== null)?.realm ?? null,
    anomalies: [...anomalies],
    xml_metadata: x.xml?.result() ?? null,
  };
}
