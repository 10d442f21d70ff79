/**
 * What went wrong with a URL import, in words a person can act on: what happened, then what to do. Node reports
 * network failures as codes (ENOTFOUND, ECONNREFUSED, CERT_HAS_EXPIRED...); a code alone tells the user nothing, so
 * every code we can reach has a sentence, and an unknown one says the general thing with the code in brackets.
 */

const DNS_MISSING = 'No server answers at that address. Check the spelling or your connection.';
const UNREACHABLE = 'Gloss could not reach that server. Check your connection, or try again later.';
const CUT_OFF = 'The connection to the site broke before the page arrived. Try again later.';
const NOT_HTTP = 'The site answered with something that is not a web page (not valid HTTP). Check the address.';

const NETWORK: Record<string, string> = {
  ENOTFOUND: DNS_MISSING,
  EAI_NONAME: DNS_MISSING,
  EAI_NODATA: DNS_MISSING,
  EAI_FAIL: DNS_MISSING,
  ENODATA: DNS_MISSING,
  EAI_AGAIN: 'Gloss could not look up that address just now. Check your connection and try again.',
  ECONNREFUSED: 'Nothing is accepting connections at that address. Check the address (and its port), or try again later.',
  ECONNRESET: CUT_OFF,
  EPIPE: CUT_OFF,
  ECONNABORTED: CUT_OFF,
  ERR_STREAM_PREMATURE_CLOSE: CUT_OFF,
  UND_ERR_SOCKET: CUT_OFF,
  ETIMEDOUT: 'The site took too long to answer. Try again later.',
  EHOSTUNREACH: UNREACHABLE,
  ENETUNREACH: UNREACHABLE,
  ENETDOWN: UNREACHABLE,
  EHOSTDOWN: UNREACHABLE,
  EADDRNOTAVAIL: UNREACHABLE,
  HPE_INVALID_CONSTANT: NOT_HTTP,
  HPE_INVALID_VERSION: NOT_HTTP,
  HPE_INVALID_STATUS: NOT_HTTP,
  HPE_INVALID_HEADER_TOKEN: NOT_HTTP,
  HPE_INVALID_CONTENT_LENGTH: NOT_HTTP,
  HPE_INVALID_CHUNK_SIZE: NOT_HTTP,
  HPE_UNEXPECTED_CONTENT_LENGTH: NOT_HTTP,
  HPE_HEADER_OVERFLOW: 'The site sent more headers than Gloss accepts. It may not be an ordinary web page.',
  Z_DATA_ERROR: 'The site sent the page compressed, but the compressed data is damaged. Try again later.',
  Z_BUF_ERROR: 'The site sent the page compressed, but the compressed data is cut short. Try again later.',
  ERR_BROTLI_DECOMPRESSION_FAILED: 'The site sent the page compressed, but the compressed data is damaged. Try again later.',
};

const CERT_UNTRUSTED = "The site's security certificate is not from an authority Gloss trusts, so Gloss did not connect.";
const TLS: Record<string, string> = {
  CERT_HAS_EXPIRED: "The site's security certificate has expired, so Gloss did not trust the connection. Try again later or tell the site.",
  CERT_NOT_YET_VALID: "The site's security certificate is not valid yet (check your computer's clock), so Gloss did not connect.",
  ERR_TLS_CERT_ALTNAME_INVALID: "The site's security certificate is for another address, so Gloss did not trust the connection. Check the address.",
  DEPTH_ZERO_SELF_SIGNED_CERT: "The site's security certificate is self-signed (no authority vouches for it), so Gloss did not connect.",
  SELF_SIGNED_CERT_IN_CHAIN: CERT_UNTRUSTED,
  UNABLE_TO_GET_ISSUER_CERT: CERT_UNTRUSTED,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: CERT_UNTRUSTED,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: CERT_UNTRUSTED,
  CERT_UNTRUSTED,
  CERT_REVOKED: "The site's security certificate has been revoked, so Gloss did not connect.",
  CERT_SIGNATURE_FAILURE: "The site's security certificate is damaged, so Gloss did not connect.",
  EPROTO: 'A secure (https) connection to the site could not be set up. Check the address; it may not serve https.',
};

/** Words for a failure of the connection or the download; `code` is the Node error code, if any. */
export function describeNetworkFailure(err: unknown): string {
  const code = errorCode(err);
  if (code && NETWORK[code]) return NETWORK[code];
  if (code && TLS[code]) return TLS[code];
  if (code?.startsWith('ERR_SSL_') || code?.startsWith('ERR_TLS_')) return TLS.EPROTO;
  if (code?.startsWith('HPE_')) return NOT_HTTP;
  const detail = code ?? (err instanceof Error ? err.message : String(err));
  return `The page could not be fetched (${detail}). Check the address and your connection, then try again.`;
}

/** The Node error code of `err` or of its cause (fetch-style errors wrap the socket's). */
export function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** Words for an HTTP status that is not a page (redirects are followed before this is asked). */
export function describeStatus(status: number, statusText: string): string {
  const said = `${status}${statusText ? ` ${statusText}` : ''}`;
  if (status === 404 || status === 410) return `The site says there is no page at that address (${said}). Check the address.`;
  if (status === 401 || status === 403) {
    return `The site refused to show the page (${said}). It may need you to sign in, which Gloss cannot do: save the page from your browser and import the file.`;
  }
  if (status === 429) return `The site says it has had too many requests (${said}). Try again later.`;
  if (status >= 500) return `The site had a problem of its own (${said}). Try again later.`;
  if (status >= 400) return `The site refused the request (${said}). Check the address.`;
  return `The site answered ${said}, which is not a page. Check the address.`;
}

/** Ports a browser refuses to fetch from (the Fetch standard's "bad port" list): they belong to other protocols. */
export const BAD_PORTS: ReadonlySet<number> = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111,
  113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548,
  554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566,
  6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

export function describeBadPort(port: number): string {
  return `That address has a port Gloss cannot use (${port}): it belongs to another kind of service (mail, file transfer, chat...), not web pages. Check the address.`;
}

export function describePrivateAddress(address: string): string {
  return `Gloss does not import from addresses on this computer or your local network (${address}).`;
}
