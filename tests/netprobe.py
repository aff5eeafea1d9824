"""Listeners and probes run inside the test network namespaces (``ip netns exec NS python netprobe.py ...``).

serve SPEC.json: listen on every address for the TCP and UDP ports and IP protocols of the spec;
  every listener answers with 'ID <its address>:<port>', TLS ones (spec 'tls': {port: pem}) over HTTP.
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


def serve(spec):
    ident, deadline = spec["id"], time.time() + spec.get("lifetime", 120)
    binds = spec.get("binds") or [["0.0.0.0", socket.AF_INET], ["::", socket.AF_INET6]]
    tls = {int(k): v for k, v in spec.get("tls", {}).items()}
    socks = {}
    for host, family in ([b[0], socket.AF_INET6 if ":" in b[0] else socket.AF_INET] for b in binds):
        for port in spec.get("tcp", []):
            socks[_tcp_socket(family, host, port)] = ("tcp", port)
    for address in spec.get("addresses") or ["0.0.0.0"]:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        for port in spec.get("udp", []):
            u = socket.socket(family, socket.SOCK_DGRAM)
            u.bind((address, port))
            socks[u] = ("udp", port)
        for proto in spec.get("ip", []) if family == socket.AF_INET else ():
            raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, proto)
            raw.bind((address, 0))
            socks[raw] = ("ip", proto)
    contexts = {}
    for port, pem in tls.items():
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(pem)
        contexts[port] = ctx
    fail = set(spec.get("fail_paths", []))
    print("ready", flush=True)
    while time.time() < deadline:
        ready, _, _ = select.select(list(socks), [], [], 0.5)
        for s in ready:
            kind, port = socks[s]
            if kind == "tcp":
                conn, _ = s.accept()
                threading.Thread(target=_answer, args=(conn, ident, port, contexts.get(port), fail),
                                 daemon=True).start()
            elif kind == "udp":
                data, peer = s.recvfrom(2048)
                s.sendto(f"{ident} udp:{port} {data.decode(errors='replace')}".encode(), peer)
            else:
                data, peer = s.recvfrom(2048)
                if data[(data[0] & 0x0F) * 4:] == b"probe":  # never answer an answer
                    s.sendto(f"{ident} ip:{port}".encode(), (peer[0], 0))


def _answer(conn, ident, port, ctx, fail):
    conn.settimeout(5)
    try:
        local = conn.getsockname()[0]
        if ctx is not None:
            conn = ctx.wrap_socket(conn, server_side=True)
            request = conn.recv(4096).decode(errors="replace")
            path = request.split(" ")[1] if request.count(" ") >= 2 else "/"
            host = next((l.split(":", 1)[1].strip() for l in request.split("\r\n") if l.lower().startswith("host:")), "")
            status = "404 Not Found" if path in fail else "200 OK"
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


def probe_one(p):
    """One probe: {proto: tcp|udp|ip50|tls|http, src, dst, port, timeout, [sni, ca, host, tls_version]} -> the
    reply or None."""
    timeout = p.get("timeout", 1.0)
    family = socket.AF_INET6 if ":" in p["dst"] else socket.AF_INET
    try:
        if p["proto"] == "ip50":
            s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 50)
            s.bind((p["src"], 0))
            s.settimeout(timeout)
            s.sendto(b"probe", (p["dst"], 0))
            end = time.time() + timeout
            while time.time() < end:
                data, peer = s.recvfrom(2048)
                if peer[0] == p["dst"]:
                    return data[(data[0] & 0x0F) * 4:].decode(errors="replace")
            return None
        kind = socket.SOCK_DGRAM if p["proto"] == "udp" else socket.SOCK_STREAM
        s = socket.socket(family, kind)
        s.settimeout(timeout)
        s.bind((p["src"], 0))
        if p["proto"] == "udp":
            s.sendto(b"probe", (p["dst"], p["port"]))
            return s.recv(2048).decode(errors="replace")
        s.connect((p["dst"], p["port"]))
        if p["proto"] == "tls":
            ctx = ssl.create_default_context(cafile=p["ca"])
            ctx.check_hostname = p.get("sni") is not None  # a listener no name points at: the chain only
            if p.get("tls_version"):  # offer this one version only (TLSv1.1...), old ones included
                version = getattr(ssl.TLSVersion, p["tls_version"].replace(".", "_"))
                ctx.minimum_version = ctx.maximum_version = version
                ctx.set_ciphers("DEFAULT:@SECLEVEL=0")  # the client may offer it; the server must refuse it
            s = ctx.wrap_socket(s, server_hostname=p.get("sni"))
            host = p.get("sni") or p["dst"]
            s.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
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
        return text.split("\r\n\r\n", 1)[-1] if p["proto"] in ("tls", "http") else text
    except ssl.SSLError as exc:
        return "TLS-ERROR " + str(exc)
    except OSError:
        return None


def resolve(p):
    """Resolve p['name'] (A) at the name server p['dns'] with dnspython, then probe the first address."""
    import dns.message
    import dns.query
    import dns.rdatatype
    q = dns.message.make_query(p["name"], "A")
    answer = dns.query.udp(q, p["dns"], timeout=2, source=p["src"])
    addresses = sorted(r.address for rrset in answer.answer for r in rrset if rrset.rdtype == dns.rdatatype.A)
    if not addresses:
        return {"addresses": [], "reply": None}
    return {"addresses": addresses, "reply": probe_one({**p, "dst": addresses[0]})}


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
