"""Listeners and probes run inside the test network namespaces (``ip netns exec NS python netprobe.py ...``).

serve SPEC.json: listen on every address for the TCP and UDP ports and IP protocols of the spec (or of
  each spec of a list); every listener answers with 'ID <its address>:<port>', TLS ones (spec 'tls':
  {port: pem, or [[pem, [host names]], ...] bound by SNI}) over HTTP: 404 for a path of 'fail_paths', the
  status of 'statuses' ({path: code}) for one of those, and with 'hosts' (a site bound to its host names, as
  IIS binds one) 400 to a request whose Host is none of them or absent; 'log' (a file) gets one JSON line
  per HTTP request: the server, the port, the request line and the Host.
probe SPEC.json: run the probes of the spec at once (threads), print one JSON result per probe.
Everything stops by itself: the server after 'lifetime' seconds, each probe after 'timeout'.
"""
import json
import select
import socket
import ssl
import sys
import threading
import time


def _tcp_socket(family, host, port):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((host, port))
    s.listen(64)
    return s


def _listeners(spec):
    """socket -> (kind, port, the answer's context) for one server spec."""
    ident = spec["id"]
    binds = spec.get("binds") or [["0.0.0.0", socket.AF_INET], ["::", socket.AF_INET6]]
    contexts = {int(port): _server_context(pem) for port, pem in spec.get("tls", {}).items()}
    fail = {path: 404 for path in spec.get("fail_paths", [])}
    fail.update({path: int(code) for path, code in spec.get("statuses", {}).items()})
    site = {"hosts": {h.lower() for h in spec.get("hosts", [])}, "log": spec.get("log")}
    starttls = set(spec.get("starttls", []))  # TLS ports that start in clear text with SMTP (STARTTLS)
    socks = {}
    for host, family in ([b[0], socket.AF_INET6 if ":" in b[0] else socket.AF_INET] for b in binds):
        for port in spec.get("tcp", []):
            socks[_tcp_socket(family, host, port)] = ("tcp", port, (ident, contexts.get(port), fail,
                                                                    port in starttls, site))
    for address in spec.get("addresses") or ["0.0.0.0"]:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        for port in spec.get("udp", []):
            u = socket.socket(family, socket.SOCK_DGRAM)
            u.bind((address, port))
            socks[u] = ("udp", port, (ident,))
        for proto in spec.get("ip", []):
            if proto == ICMPV6:
                continue  # the kernel itself answers an ICMPv6 echo request
            raw = socket.socket(family, socket.SOCK_RAW, proto)
            raw.bind((address, 0))
            socks[raw] = ("ip", proto, (ident,))
    return socks


def serve(spec):
    """One server spec, or a list of them (many stubs in one process: one interpreter to start)."""
    specs = spec if isinstance(spec, list) else [spec]
    deadline = time.time() + max(s.get("lifetime", 120) for s in specs)
    socks = {}
    for one in specs:
        socks.update(_listeners(one))
    print("ready", flush=True)
    while time.time() < deadline:
        ready, _, _ = select.select(list(socks), [], [], 0.5)
        for s in ready:
            kind, port, context = socks[s]
            ident = context[0]
            if kind == "tcp":
                conn, _ = s.accept()
                threading.Thread(target=_answer, args=(conn, ident, port, *context[1:]), daemon=True).start()
            elif kind == "udp":
                data, peer = s.recvfrom(2048)
                s.sendto(f"{ident} udp:{port} {data.decode(errors='replace')}".encode(), peer)
            else:
                data, peer = s.recvfrom(2048)
                if _payload(data, s.family) == b"probe":  # never answer an answer
                    s.sendto(f"{ident} ip:{port}".encode(), (peer[0], 0))


ICMPV6 = 58


def _payload(data, family):
    """What follows the IP header: an IPv4 raw socket hands the header over, an IPv6 one does not."""
    return data[(data[0] & 0x0F) * 4:] if family == socket.AF_INET else data


def _echo6(p, timeout):
    """An ICMPv6 echo request; the destination's kernel answers with an echo reply (type 129)."""
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, ICMPV6)
    s.bind((p["src"], 0))
    s.settimeout(timeout)
    s.sendto(bytes([128, 0, 0, 0, 0, 1, 0, 1]) + b"probe", (p["dst"], 0))  # the kernel fills the checksum
    end = time.time() + timeout
    while time.time() < end:
        data, peer = s.recvfrom(2048)
        if peer[0] == p["dst"] and data[0] == 129:
            return f"echo reply from {peer[0]}"
    return None


def _server_context(pem):
    """A server context for one PEM, or for a list of [pem, [names]]: certificates bound by host name
    (SNI), as a web server binds one certificate per site; a name bound to none gets the first."""
    if isinstance(pem, str):
        pem = [[pem, []]]
    contexts = []
    for path, names in pem:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(path)
        contexts.append((ctx, {n.lower() for n in names}))

    def choose(sock, server_name, _ctx):
        sock.context = next((c for c, names in contexts if server_name and server_name.lower() in names),
                            contexts[0][0])
    contexts[0][0].sni_callback = choose
    return contexts[0][0]


def _smtp_server_starttls(conn, ident):
    """The clear-text start of an SMTP session up to STARTTLS (RFC 3207)."""
    conn.sendall(f"220 {ident} ESMTP\r\n".encode())
    conn.recv(1024)  # EHLO
    conn.sendall(f"250-{ident}\r\n250 STARTTLS\r\n".encode())
    conn.recv(1024)  # STARTTLS
    conn.sendall(b"220 ready to start TLS\r\n")


STATUS = {200: "200 OK", 400: "400 Bad Request", 404: "404 Not Found", 500: "500 Internal Server Error",
          503: "503 Service Unavailable"}
_LOG_LOCK = threading.Lock()


def _http_status(ident, port, request, host, fail, site):
    """The status a TLS stub answers: 400 where its site is bound to host names and the request names none of
    them, else the one set for its path (200 by default); the request is logged first."""
    line = request.split("\r\n", 1)[0]
    path = line.split(" ")[1] if line.count(" ") >= 2 else "/"
    if site and site.get("log"):
        with _LOG_LOCK, open(site["log"], "a") as f:
            f.write(json.dumps({"id": ident, "port": port, "line": line, "host": host}) + "\n")
    if site and site["hosts"] and host.split(":")[0].lower() not in site["hosts"]:
        return STATUS[400]  # HTTP.sys: 'Bad Request - Invalid Hostname'
    return STATUS.get(fail.get(path, 200), f"{fail.get(path)} Status")


def _answer(conn, ident, port, ctx, fail, starttls=False, site=None):
    conn.settimeout(5)
    try:
        local = conn.getsockname()[0]
        if ctx is not None and starttls:
            _smtp_server_starttls(conn, ident)
            conn = ctx.wrap_socket(conn, server_side=True)
            conn.recv(1024)  # QUIT
            conn.sendall(f"221 {ident} {local}:{port} smtp\r\n".encode())
        elif ctx is not None:
            conn = ctx.wrap_socket(conn, server_side=True)
            request = conn.recv(4096).decode(errors="replace")
            path = request.split(" ")[1] if request.count(" ") >= 2 else "/"
            host = next((l.split(":", 1)[1].strip() for l in request.split("\r\n") if l.lower().startswith("host:")), "")
            status = _http_status(ident, port, request, host, fail, site)
            body = f"{ident} {local}:{port} {host} {path}"
            conn.sendall(f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}".encode())
        else:
            data = conn.recv(1024).decode(errors="replace")
            if data.startswith("GET "):  # a layer-7 balancer in front: answer HTTP, one request per connection
                host = next((l.split(":", 1)[1].strip() for l in data.split("\r\n") if l.lower().startswith("host:")), "")
                body = f"{ident} {local}:{port} {host}"
                conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}".encode())
            else:
                conn.sendall(f"{ident} {local}:{port} {data}".encode())
    except (OSError, ssl.SSLError):
        pass
    finally:
        conn.close()


def _smtp_client_starttls(s):
    """Banner, EHLO, STARTTLS: the clear-text start a sending mail server makes (RFC 3207)."""
    f = s.makefile("rb")
    if not f.readline().startswith(b"220"):
        raise OSError("no SMTP banner")
    s.sendall(b"EHLO probe.invalid\r\n")
    lines = []
    while not lines or lines[-1][3:4] == b"-":
        lines.append(f.readline())
    if not any(b"STARTTLS" in line for line in lines):
        raise ssl.SSLError("the server does not offer STARTTLS")
    s.sendall(b"STARTTLS\r\n")
    if not f.readline().startswith(b"220"):
        raise OSError("STARTTLS refused")


def probe_one(p):
    """One probe: {proto: tcp|udp|ipN|tls|smtp|http, src, dst, port, timeout, [sni, ca, host, strict,
    tls_version, no_host, path]} -> the reply or None (ipN: a raw packet of IP protocol N, such as ip50 for ESP, ip47 for
    GRE, ip41 for 6to4)."""
    timeout = p.get("timeout", 1.0)
    family = socket.AF_INET6 if ":" in p["dst"] else socket.AF_INET
    try:
        if p["proto"] == f"ip{ICMPV6}":
            return _echo6(p, timeout)
        if p["proto"].startswith("ip"):
            s = socket.socket(family, socket.SOCK_RAW, int(p["proto"][2:]))
            s.bind((p["src"], 0))
            s.settimeout(timeout)
            s.sendto(b"probe", (p["dst"], 0))
            end = time.time() + timeout
            while time.time() < end:
                data, peer = s.recvfrom(2048)
                if peer[0] == p["dst"]:
                    return _payload(data, family).decode(errors="replace")
            return None
        kind = socket.SOCK_DGRAM if p["proto"] == "udp" else socket.SOCK_STREAM
        s = socket.socket(family, kind)
        s.settimeout(timeout)
        s.bind((p["src"], 0))
        if p["proto"] == "udp":
            s.sendto(b"probe", (p["dst"], p["port"]))
            return s.recv(2048).decode(errors="replace")
        s.connect((p["dst"], p["port"]))
        if p["proto"] == "smtp":  # STARTTLS first, then TLS as below
            _smtp_client_starttls(s)
        if p["proto"] in ("tls", "smtp"):
            ctx = ssl.create_default_context(cafile=p["ca"])
            ctx.check_hostname = p.get("sni") is not None  # a listener no name points at: the chain only
            # strict: the name must be a SAN, never the subject's CN (RFC 6125 6.4.4, as browsers do)
            ctx.hostname_checks_common_name = not p.get("strict", False)
            if p.get("tls_version"):  # offer this one version only (TLSv1.1...), old ones included
                version = getattr(ssl.TLSVersion, p["tls_version"].replace(".", "_"))
                ctx.minimum_version = ctx.maximum_version = version
                ctx.set_ciphers("DEFAULT:@SECLEVEL=0")  # the client may offer it; the server must refuse it
            s = ctx.wrap_socket(s, server_hostname=p.get("sni"))
            host = p.get("sni") or p["dst"]
            s.sendall(b"QUIT\r\n" if p["proto"] == "smtp" else
                      b"GET / HTTP/1.0\r\n\r\n" if p.get("no_host") else  # HTTP/1.0 allows a request without one
                      f"GET {p.get('path', '/')} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        elif p["proto"] == "http":
            s.sendall(f"GET / HTTP/1.1\r\nHost: {p.get('sni') or p['dst']}\r\nConnection: close\r\n\r\n".encode())
        else:
            s.sendall(b"probe")
        chunks = []
        while True:
            data = s.recv(4096)
            if not data:
                break
            chunks.append(data)
        text = b"".join(chunks).decode(errors="replace")
        if p["proto"] == "smtp":
            return text[4:].strip()  # '221 <server's answer>'
        return text.split("\r\n\r\n", 1)[-1] if p["proto"] in ("tls", "http") else text
    except ssl.SSLError as exc:
        return "TLS-ERROR " + str(exc)
    except OSError:
        return None


def resolve(p):
    """Resolve p['name'] (A) at the name server p['dns'] with dnspython, then probe the first address
    (every address with p['every']; none with proto 'none': the name only)."""
    import dns.exception
    import dns.message
    import dns.query
    import dns.rdatatype
    q = dns.message.make_query(p["name"], "A")
    try:
        answer = dns.query.udp(q, p["dns"], timeout=p.get("dns_timeout", 2), source=p["src"])
    except (dns.exception.Timeout, OSError) as exc:
        return {"addresses": None, "reply": None, "replies": [], "error": type(exc).__name__}
    addresses = sorted(r.address for rrset in answer.answer for r in rrset if rrset.rdtype == dns.rdatatype.A)
    if not addresses or p["proto"] == "none":
        return {"addresses": addresses, "reply": None, "replies": []}
    replies = [probe_one({**p, "dst": a}) for a in (addresses if p.get("every") else addresses[:1])]
    return {"addresses": addresses, "reply": replies[0], "replies": replies}


def main():
    mode, path = sys.argv[1], sys.argv[2]
    spec = json.load(open(path))
    if mode == "serve":
        serve(spec)
        return
    work = resolve if mode == "resolve" else probe_one
    results = [None] * len(spec)

    def run(i):
        results[i] = work(spec[i])
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(spec))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
