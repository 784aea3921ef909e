#!/usr/bin/env python3
"""Loopback test server for the connector runtime's tests.

Prints "PORT <n>" on stdout once listening on 127.0.0.1. Every behaviour is chosen by
path and query so one server serves every test; counters are kept per `key`.
Standard library only.
"""
import base64, gzip, hashlib, json, sys, threading, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
COUNTERS = {}          # key -> int
INFLIGHT = {}          # key -> current in-flight
MAX_INFLIGHT = {}      # key -> max seen
TIMES = {}             # key -> [arrival times]
TOKENS = {}            # token -> expiry (monotonic)
ISSUED = {"count": 0}
ROTATING = {}          # key -> the one refresh token accepted next (rotation)
PAUSED_UNTIL = {}      # key -> monotonic time before which 429 is answered
DATASETS = {}          # name -> {"records": {id: ticket}, "served": n, "version": v}


def make_ticket(i, version):
    """A ticket in version `version`: `updated` grows with the version."""
    return {"id": i, "summary": "Ticket %d v%d" % (i, version), "status": {"name": ["New", "In Progress", "Closed"][(i + version) % 3]},
            "company": {"id": i % 7}, "updated": "2026-0%d-01T00:%02d:%02dZ" % (1 + version, i // 60 % 60, i % 60)}


def bump(key, amount=1):
    with LOCK:
        COUNTERS[key] = COUNTERS.get(key, 0) + amount
        return COUNTERS[key]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=(), content_type="application/json"):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        self.do_GET()

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        route = getattr(self, "route_" + url.path.strip("/").split("/")[0].replace("-", "_"), None)
        if route is None:
            return self.reply(404, {"error": "no route " + url.path})
        return route(url, q, body)

    # --- basics -----------------------------------------------------------------
    def route_echo(self, url, q, body):
        self.reply(200, {"method": self.command, "path": url.path, "query": q,
                         "headers": {k: v for k, v in self.headers.items()},
                         "body": body.decode("utf-8", "replace")})

    def route_bytes(self, url, q, body):
        self.reply(200, b"x" * int(q.get("n", "10")), content_type="application/octet-stream")

    def route_gzip(self, url, q, body):
        payload = json.dumps({"compressed": True, "filler": "a" * 5000}).encode()
        if "gzip" in (self.headers.get("Accept-Encoding") or ""):
            return self.reply(200, gzip.compress(payload), headers=[("Content-Encoding", "gzip")])
        self.reply(200, payload)

    def route_slow(self, url, q, body):
        time.sleep(int(q.get("ms", "100")) / 1000)
        self.reply(200, {"slept_ms": int(q.get("ms", "100"))})

    def route_stall(self, url, q, body):
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"{")
        self.wfile.flush()
        time.sleep(float(q.get("seconds", "30")))

    def route_status(self, url, q, body):
        headers = [("Retry-After", q["retry_after"])] if "retry_after" in q else []
        bump("status:" + q.get("key", ""))
        body = {"code": int(q.get("code", "200"))}
        if "sf_error" in q:
            body = [{"errorCode": q["sf_error"], "message": q.get("sf_message", "TotalRequests Limit exceeded.")}]
        self.reply(int(q.get("code", "200")), body, headers)

    def route_flaky(self, url, q, body):
        n = bump("flaky:" + q.get("key", ""))
        if n <= int(q.get("fail", "2")):
            headers = [("Retry-After", q["retry_after"])] if "retry_after" in q else []
            return self.reply(int(q.get("code", "503")), {"attempt": n}, headers)
        self.reply(200, {"attempt": n})

    def route_count(self, url, q, body):
        with LOCK:
            self.reply(200, {"count": COUNTERS.get(q.get("counter", ""), 0)})

    # --- rate limiting -----------------------------------------------------------
    def route_limited(self, url, q, body):
        """Answers 429 above `rate` req/s (sliding 1 s window) or `concurrency` in flight."""
        key = q.get("key", "")
        rate, concurrency = float(q.get("rate", "10")), int(q.get("concurrency", "2"))
        now = time.monotonic()
        with LOCK:
            times = TIMES.setdefault(key, [])
            times.append(now)
            INFLIGHT[key] = INFLIGHT.get(key, 0) + 1
            MAX_INFLIGHT[key] = max(MAX_INFLIGHT.get(key, 0), INFLIGHT[key])
            recent = [t for t in times if now - t < 1.0]
            over = len(recent) > rate + 1 or INFLIGHT[key] > concurrency
            if over:
                COUNTERS["over:" + key] = COUNTERS.get("over:" + key, 0) + 1
        try:
            time.sleep(float(q.get("latency_ms", "20")) / 1000)
            if over:
                return self.reply(429, {"error": "rate"}, [("Retry-After", "1")])
            self.reply(200, {"ok": True})
        finally:
            with LOCK:
                INFLIGHT[key] -= 1

    def route_storm(self, url, q, body):
        """429 with Retry-After for the first `count` requests of `key`, then 200."""
        key = "storm:" + q.get("key", "")
        n = bump(key)
        with LOCK:
            TIMES.setdefault(key, []).append(time.monotonic())
        if n <= int(q.get("count", "1")):
            return self.reply(429, {"error": "throttled"}, [("Retry-After", q.get("retry_after", "2"))])
        self.reply(200, {"ok": True, "n": n})

    def route_stats(self, url, q, body):
        key = q.get("key", "")
        with LOCK:
            times = TIMES.get(key, []) or TIMES.get("storm:" + key, [])
            self.reply(200, {"requests": len(times), "max_inflight": MAX_INFLIGHT.get(key, 0),
                             "over": COUNTERS.get("over:" + key, 0),
                             "first": times[0] if times else 0, "last": times[-1] if times else 0,
                             "times": times})

    # --- auth --------------------------------------------------------------------
    def route_oauth(self, url, q, body):
        # ?fail=N&key=K[&code=503][&retry_after=S]: the first N token requests of K fail.
        if "fail" in q and bump("oauth:" + q.get("key", "")) <= int(q["fail"]):
            headers = [("Retry-After", q["retry_after"])] if "retry_after" in q else []
            return self.reply(int(q.get("code", "503")), {"error": "temporarily_unavailable"}, headers)
        form = {k: v[-1] for k, v in urllib.parse.parse_qs(body.decode()).items()}
        auth = self.headers.get("Authorization") or ""
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if auth.startswith("Basic "):
            client_id, client_secret = base64.b64decode(auth[6:]).decode().split(":", 1)
        grant = form.get("grant_type")
        ok = {
            "client_credentials": client_id == "cid" and client_secret == "csecret",
            "refresh_token": client_id == "cid" and (form.get("refresh_token") == "rtoken" if "rotate" not in q
                                                     else ROTATING.get(q["rotate"], "rtoken") == form.get("refresh_token")),
            "password": client_id == "cid" and form.get("username") == "user" and form.get("password") == "pw",
            "urn:ietf:params:oauth:grant-type:jwt-bearer": client_id is None and verify_assertion(form.get("assertion", "")),
        }.get(grant, False)
        if not ok:
            return self.reply(400, {"error": "invalid_grant", "error_description": "bad credentials"})
        time.sleep(0.05)
        with LOCK:
            ISSUED["count"] += 1
            token = "tok%d" % ISSUED["count"]
            TOKENS[token] = time.monotonic() + float(q.get("expires_in", "3600"))
        reply = {"access_token": token, "token_type": "Bearer",
                 "expires_in": int(float(q.get("expires_in", "3600"))),
                 "instance_url": "http://127.0.0.1:%d/instance" % self.server.server_port,
                 "scope": form.get("scope", "")}
        # ?rotate=K: each refresh token of K works once; the response carries the next one.
        if grant == "refresh_token" and "rotate" in q:
            with LOCK:
                ROTATING[q["rotate"]] = reply["refresh_token"] = "rtoken-%d" % ISSUED["count"]
        self.reply(200, reply)

    def route_revoke(self, url, q, body):
        with LOCK:
            TOKENS.clear()
        self.reply(200, {"revoked": True})

    def route_issued(self, url, q, body):
        with LOCK:
            self.reply(200, {"count": ISSUED["count"]})

    def route_protected(self, url, q, body):
        auth = self.headers.get("Authorization") or ""
        token = auth[7:] if auth.startswith("Bearer ") else None
        with LOCK:
            valid = token in TOKENS and TOKENS[token] > time.monotonic()
        if not valid:
            return self.reply(401, [{"errorCode": "INVALID_SESSION_ID", "message": "Session expired or invalid"}])
        time.sleep(0.01)
        self.reply(200, {"token": token})

    def route_instance(self, url, q, body):
        self.route_protected(url, q, body)

    def route_basic(self, url, q, body):
        auth = self.headers.get("Authorization") or ""
        expected = "Basic " + base64.b64encode(b"acme+pub:priv").decode()
        if auth != expected or self.headers.get("clientId") != "client-1":
            return self.reply(401, {"code": "Unauthorized", "message": "bad credentials"})
        self.reply(200, {"ok": True})

    def route_apikey(self, url, q, body):
        if self.headers.get("X-Api-Key") != "k123" and q.get("api_key") != "k123":
            return self.reply(401, {"error": "bad key"})
        self.reply(200, {"ok": True})

    # --- a mutable ticket dataset for pipeline tests --------------------------------
    def route_dataset(self, url, q, body):
        """/dataset/<name>/tickets?page=&size=&updated_since=  (page numbers from 1,
        ordered by id; ISO-8601 cursor `updated`). /dataset/<name>/change?n=K bumps K
        records; /dataset/<name>/delete?id=I removes one; /stamp?id=I&updated=ISO and /corrupt?id=I
        rewrite one; /arm?id=I&delay_ms=D makes a request whose bounded range holds record I
        wait D ms before it selects, and the first short page of an open range (until
        9999-…) then stamp record I with the present, once (a record changed mid-sync out of a
        range not yet read into one already read); /dataset/<name>/stats counts
        records served and count requests; /hide?id=I and /show?id=I take a record out of
        the listings and back, unchanged (access rules). Datasets hold 250 tickets when first touched."""
        parts = url.path.strip("/").split("/")
        name, action = parts[1], parts[2] if len(parts) > 2 else "tickets"
        lo, hi = q.get("range", "..").split("..")
        with LOCK:
            armed = DATASETS.get(name, {}).get("armed") if action == "tickets" else None
            held = armed and not armed["fired"] and not hi.startswith("9999") and \
                lo <= DATASETS[name]["records"][armed["id"]]["updated"] < hi
        if held:
            time.sleep(armed["delay"])
        with LOCK:
            data = DATASETS.setdefault(name, {"records": {i: make_ticket(i, 0) for i in range(1, 251)}, "served": 0, "version": 0})
            if action == "change":
                data["version"] += 1
                ids = sorted(data["records"])[:: max(1, len(data["records"]) // int(q.get("n", "25")))][: int(q.get("n", "25"))]
                for i in ids:
                    data["records"][i] = make_ticket(i, data["version"])
                return self.reply(200, {"changed": ids})
            if action == "hide":  # /hide?id=I: the record disappears from listings, unchanged
                data.setdefault("hidden", {})[int(q["id"])] = data["records"].pop(int(q["id"]))
                return self.reply(200, {"hidden": int(q["id"])})
            if action == "show":  # /show?id=I: it is listed again, with its old `updated`
                data["records"][int(q["id"])] = data.get("hidden", {}).pop(int(q["id"]))
                return self.reply(200, {"shown": int(q["id"])})
            if action == "delete":
                data["records"].pop(int(q["id"]), None)
                return self.reply(200, {"deleted": int(q["id"])})
            if action == "stamp":  # /stamp?id=I&updated=ISO: a change stamped at any time
                record = dict(data["records"][int(q["id"])], updated=q["updated"])
                record["summary"] = "Ticket %d stamped %s" % (int(q["id"]), q["updated"])
                data["records"][int(q["id"])] = record
                return self.reply(200, {"stamped": int(q["id"])})
            if action == "corrupt":  # /corrupt?id=I: a record whose `updated` is no timestamp
                data["records"][int(q["id"])] = dict(data["records"][int(q["id"])], updated="not a time")
                return self.reply(200, {"corrupted": int(q["id"])})
            if action == "arm":
                data["armed"] = {"id": int(q["id"]), "delay": float(q.get("delay_ms", "1000")) / 1000, "fired": False}
                return self.reply(200, {"armed": int(q["id"])})
            if action == "count":
                data["counted"] = data.get("counted", 0) + 1
                lo, hi = q.get("range", "..").split("..")
                return self.reply(200, {"count": sum(1 for r in data["records"].values() if lo <= r["updated"] < hi)})
            if action == "stats":
                return self.reply(200, {"served": data["served"], "count": len(data["records"]),
                                        "count_requests": data.get("counted", 0),
                                        "armed_fired": data.get("armed", {}).get("fired", False)})
            if self.headers.get("Authorization") != "Bearer " + name + "-token":
                return self.reply(401, {"error": "bad token"})
            rows = [data["records"][i] for i in sorted(data["records"])]
            since = q.get("updated_since")
            if since:
                rows = [r for r in rows if r["updated"] > since]
            if "range" in q:
                lo, hi = q["range"].split("..")
                rows = [r for r in rows if lo <= r["updated"] < hi]
            size, page = int(q.get("size", "50")), int(q.get("page", "1"))
            chunk = rows[(page - 1) * size: page * size]
            data["served"] += len(chunk)
            if armed and not armed["fired"] and hi.startswith("9999") and len(chunk) < size:
                armed["fired"] = True
                stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
                i = armed["id"]
                data["records"][i] = dict(data["records"][i], updated=stamp, summary="Ticket %d stamped %s" % (i, stamp))
        time.sleep(float(q.get("delay_ms", "0")) / 1000)
        self.reply(200, {"tickets": chunk})

    # --- pagination --------------------------------------------------------------
    def route_pages(self, url, q, body):
        """/pages/<kind>?total=N&size=S ... records {"id": i} in order."""
        kind = url.path.strip("/").split("/")[1]
        total = int(q.get("total", "25"))
        base = "http://127.0.0.1:%d" % self.server.server_port
        bump("pages:" + kind + ":" + q.get("key", ""))
        def records(start, count):
            return [{"id": i, "name": "r%d" % i} for i in range(start, min(total, start + count))]
        if kind == "page":           # page/size, 1-based, stop on short or empty page
            size, page = int(q.get("size", "10")), int(q.get("page", "1"))
            return self.reply(200, records((page - 1) * size, size))
        if kind == "page0":          # 0-based pages
            size, page = int(q.get("size", "10")), int(q.get("page", "0"))
            return self.reply(200, {"items": records(page * size, size)})
        if kind == "offset":         # offset/limit with X-Total-Count
            limit, offset = int(q.get("limit", "10")), int(q.get("offset", "0"))
            return self.reply(200, {"result": records(offset, limit)}, [("X-Total-Count", str(total))])
        if kind == "nexturl":        # relative next URL in the body until done
            size, start = int(q.get("size", "10")), int(q.get("start", "0"))
            done = start + size >= total
            page = {"records": records(start, size), "done": done, "totalSize": total}
            if not done:
                page["nextRecordsUrl"] = "/pages/nexturl?total=%d&size=%d&start=%d&key=%s" % (total, size, start + size, q.get("key", ""))
            return self.reply(200, page)
        if kind == "cursor":         # opaque token in the body, sent back as ?cursor=
            size = int(q.get("limit", "10"))
            start = int(base64.b64decode(q["cursor"]).decode()) if q.get("cursor") else 0
            page = {"data": records(start, size)}
            if start + size < total:
                page["meta"] = {"next_cursor": base64.b64encode(str(start + size).encode()).decode()}
            return self.reply(200, page)
        if kind == "link":           # RFC 8288 Link header with several links
            size, page = int(q.get("pageSize", "10")), int(q.get("page", "1"))
            last = max(1, -(-total // size))
            links = ['<%s/pages/link?total=%d&pageSize=%d&page=1>; rel="first"' % (base, total, size)]
            if page < last:
                links.append('<%s/pages/link?total=%d&pageSize=%d&page=%d>; rel="next"; title="next page"' % (base, total, size, page + 1))
            links.append('<%s/pages/link?total=%d&pageSize=%d&page=%d>; rel="last"' % (base, total, size, last))
            return self.reply(200, records((page - 1) * size, size), [("Link", ", ".join(links))])
        if kind == "delta":          # Graph-style nextLink then deltaLink
            size, skip = int(q.get("size", "10")), int(q.get("skip", "0"))
            page = {"value": records(skip, size)}
            if skip + size < total:
                page["@odata.nextLink"] = "%s/pages/delta?total=%d&size=%d&skip=%d" % (base, total, size, skip + size)
            else:
                page["@odata.deltaLink"] = "%s/pages/delta?deltatoken=abc%d" % (base, total)
            return self.reply(200, page)
        if kind == "stuck":          # next link never advances
            return self.reply(200, {"records": records(0, 2), "next": "/pages/stuck?total=%d" % total})
        self.reply(404, {"error": "unknown page kind " + kind})

    # --- plugin hooks (Tests/Fixtures/plugins/hooks_plugin.c) ---------------------
    def route_hooks(self, url, q, body):
        """/hooks/items and /hooks/session need X-Hook-Signature: v1:<key>:<ms> with a
        key "key-..." (the fixture's authenticate hook). /hooks/items answers text lines
        "id,name" plus "next:<cursor>" while records remain (parse_page makes NDJSON); a
        session, when given, must be the one /hooks/session issued to the same key."""
        kind = url.path.strip("/").split("/")[1]
        parts = (self.headers.get("X-Hook-Signature") or "").split(":")
        if len(parts) != 3 or parts[0] != "v1" or not parts[1].startswith("key-") or not parts[2].isdigit():
            return self.reply(401, {"error": "bad or missing X-Hook-Signature"})
        key = parts[1]
        bump("hooks:" + kind + ":" + key)
        if kind == "session":
            return self.reply(200, "sess-" + key, content_type="text/plain")
        if kind == "items":
            if "session" in q and q["session"] != "sess-" + key:
                return self.reply(403, {"error": "session %s does not belong to %s" % (q["session"], key)})
            if self.headers.get("X-Built-By") != "build_request":
                return self.reply(400, {"error": "not built by build_request"})
            total, size, start = int(q.get("total", "7")), int(q.get("size", "3")), int(q.get("cursor", "0"))
            # Record i has id (its cursor value) i * step; since/until keep since <= id < until.
            step = int(q.get("step", "1"))
            ids = [i * step for i in range(total)]
            if "step" in q and "since" in q:
                ids = [x for x in ids if x >= int(q["since"])]
            if "step" in q and "until" in q:
                ids = [x for x in ids if x < int(q["until"])]
            lines = ["%d,r%d" % (x, x // step) for x in ids[start:start + size]]
            if start + size < len(ids):
                lines.append("next:%d" % (start + size))
            return self.reply(200, "\n".join(lines) + "\n", content_type="text/plain")
        self.reply(404, {"error": "unknown hooks route " + kind})


def verify_assertion(assertion):
    """Checks an RS256 JWT bearer assertion's shape and claims (signature checked by
    the Swift test with libcrypto); returns True for the expected issuer/subject."""
    try:
        header, claims, signature = assertion.split(".")
        pad = lambda s: s + "=" * (-len(s) % 4)
        h = json.loads(base64.urlsafe_b64decode(pad(header)))
        c = json.loads(base64.urlsafe_b64decode(pad(claims)))
        return h.get("alg") == "RS256" and c.get("iss") == "cid" and c.get("sub") == "user" \
            and c.get("exp", 0) > time.time() and len(signature) > 100
    except Exception:
        return False


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


def exit_with_parent():
    """Stops the server when the test process that started it is gone."""
    import os
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


if __name__ == "__main__":
    threading.Thread(target=exit_with_parent, daemon=True).start()
    server = Server(("127.0.0.1", 0), Handler)
    print("PORT %d" % server.server_port, flush=True)
    server.serve_forever()
