#!/usr/bin/env python3
"""Mock Avesa REST API + static server for developing and testing the dashboard standalone.

    python3 dashboard/dev/mock-server.py [--port 8088] [--host 127.0.0.1] [--access-ttl 900]

Serves the dashboard folder at / and answers the API contract (auth, analytics, entities,
pipeline) with fixed, deterministic sample data (Python standard library only). The JSON
shapes, parameter checks (unknown parameters and unsortable columns are 400s, as in
Sources/AvesaHost/API) and status codes follow the real API merged on main.

Users (tenant "sitetechnology", password "demo123"):
    admin@sitetechnology.com    role admin
    analyst@sitetechnology.com  role viewer (no pipeline access)
Dev-only helpers (not part of the real API):
    POST /__mock/expire          invalidate every access token (to exercise the refresh path)
    POST /__mock/reset-limits    forget failed logins (10 a minute give a 429 with Retry-After)
    GET  /__mock/stats           counters: logins, refreshes, 401s
One company name is an HTML/script injection string on purpose: the UI must show it as text.
"""
import argparse
import datetime as dt
import json
import os
import random
import secrets
import statistics
import sys
import threading
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TENANT = "sitetechnology"
USERS = {
    "admin@sitetechnology.com": {"id": "u-1", "email": "admin@sitetechnology.com", "role": "admin", "tenant_id": TENANT, "password": "demo123"},
    "analyst@sitetechnology.com": {"id": "u-2", "email": "analyst@sitetechnology.com", "role": "viewer", "tenant_id": TENANT, "password": "demo123"},
}
XSS_NAME = '<img src=x onerror="window.__xss=1">Evil & Co <script>window.__xss=2</script>'

# ----------------------------------------------------------------------------- data

def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ") if t else None


def build_data(seed=7):
    rnd = random.Random(seed)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    services = ["connectwise", "servicenow", "salesforce", "m365"]
    names = ["Acme Dental", "Blue Harbor Logistics", "Cedar Ridge Clinic", "Delta Freight", "Evergreen Law", "Falcon Manufacturing",
             "Granite Peak Bank", "Horizon Schools", "Iris Architecture", "Juniper Hotels", "Keystone Insurance", "Lakeside Vet",
             "Maple Street Bakery", "Northwind Traders", "Orchard Accounting", "Pinecrest Realty", "Quartz Media", "Redwood Pharmacy",
             "Summit Engineering", "Tidewater Marine", "Unity Church", "Vista Optometry", "Willow Creek Farms", XSS_NAME]
    cities = [("Austin", "TX"), ("Denver", "CO"), ("Portland", "OR"), ("Tampa", "FL"), ("Columbus", "OH"), ("Raleigh", "NC")]
    companies = []
    for i, n in enumerate(names, 1):
        svc = services[i % 4]
        c, st = cities[i % len(cities)]
        companies.append({
            "id": f"{svc}:{1000 + i}", "name": n, "identifier": n.split()[0].upper()[:10] if n != XSS_NAME else "EVIL&CO",
            "status": "Active" if i % 7 else "Inactive", "type": ["Customer", "Prospect", "Partner"][i % 3 if i % 5 else 0],
            "phone": f"+1 555 01{i:02d}", "website": f"https://www.example{i}.com", "address": f"{100 + i} Main St",
            "city": c, "state": st, "country": "US", "created_at": iso(now - dt.timedelta(days=900 - i * 11)),
            "updated_at": iso(now - dt.timedelta(days=i * 3, hours=i)), "source_service": svc, "source_id": str(1000 + i),
        })
    first = ["Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Drew", "Avery", "Quinn", "Parker"]
    last = ["Nguyen", "Smith", "Garcia", "Patel", "Johnson", "Kim", "Brown", "Lopez", "Müller", "O'Brien", "Rossi", "Chen"]
    contacts = []
    for i in range(1, 91):
        co = companies[i % len(companies)]
        fn, ln = first[i % 12], last[(i * 5) % 12]
        contacts.append({
            "id": f"{co['source_service']}:c{i}", "company_id": co["id"], "first_name": fn, "last_name": ln,
            "email": f"{fn}.{ln}{i}@example.com".lower().replace("'", ""), "phone": f"+1 555 02{i:02d}",
            "title": ["Office Manager", "IT Lead", "Owner", "Accountant", "Receptionist"][i % 5], "active": i % 9 != 0,
            "updated_at": iso(now - dt.timedelta(days=i)), "source_service": co["source_service"], "source_id": f"c{i}",
        })
    statuses = {"open": ["New", "Open"], "in_progress": ["In Progress", "Waiting on Customer"], "resolved": ["Resolved"], "closed": ["Closed"]}
    priorities = ["P1 - Critical", "P2 - High", "P3 - Medium", "P4 - Low"]
    members = ["jsmith", "akumar", "lchen", "mrossi", None]
    subjects = ["Printer offline", "Email not syncing", "VPN drops every hour", "New hire laptop setup", "Password reset",
                "Server disk almost full", "Phishing email reported", "Wi-Fi slow in conference room", "Backup job failed",
                "Install accounting software", "Outlook crashes on start", "MFA enrolment", "Firewall rule request"]
    tickets, history, entries = [], {}, []
    for i in range(1, 421):
        co = companies[(i * 7) % len(companies)]
        created = now - dt.timedelta(days=rnd.uniform(0, 400) ** 1.0, hours=rnd.uniform(0, 23))
        pri = priorities[min(3, int(rnd.random() ** 0.6 * 4))]
        ct = next((c for c in contacts if c["company_id"] == co["id"]), None)
        base = {"id": f"{co['source_service']}:t{5000 + i}", "company_id": co["id"], "contact_id": ct["id"] if ct else None,
                "summary": subjects[i % len(subjects)] + ("" if i % 11 else " <b>urgent</b>"), "status": "New", "status_category": "open",
                "priority": pri, "board": ["Service Desk", "Projects", "Alerts"][i % 3], "type": ["Incident", "Request", "Problem"][i % 3],
                "assigned_to": None, "created_at": iso(created), "updated_at": iso(created), "resolved_at": None, "closed_at": None,
                "source_service": co["source_service"], "source_id": f"t{5000 + i}"}
        versions = [(created, dict(base))]
        t, cur = created, dict(base)
        steps = rnd.choice([1, 2, 3, 3, 4, 4, 4, 5])
        for step in range(1, steps):
            t = t + dt.timedelta(hours=rnd.uniform(0.5, 60))
            if t > now:
                break
            cur = dict(cur)
            if step == 1:
                cur.update(status="In Progress", status_category="in_progress", assigned_to=members[i % 4])
            elif step == 2 and rnd.random() < 0.3:
                cur.update(priority=priorities[max(0, priorities.index(cur["priority"]) - 1)], status="Waiting on Customer")
            elif step <= 3 and cur["status_category"] != "resolved":
                cur.update(status="Resolved", status_category="resolved", resolved_at=iso(t))
            else:
                cur.update(status="Closed", status_category="closed", closed_at=iso(t), resolved_at=cur["resolved_at"] or iso(t))
            cur["updated_at"] = iso(t)
            versions.append((t, cur))
        hist = []
        for k, (vt, rec) in enumerate(versions):
            nxt = versions[k + 1][0] if k + 1 < len(versions) else None
            hist.append({**rec, "valid_from": iso(vt), "valid_to": iso(nxt), "is_current": nxt is None})
        history[base["id"]] = hist
        tickets.append(dict(cur))
        for e in range(rnd.choice([0, 1, 1, 2, 3])):
            st = created + dt.timedelta(hours=rnd.uniform(0.2, 30))
            if st > now:
                continue
            hrs = round(rnd.choice([0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4]), 2)
            entries.append({"id": f"{co['source_service']}:e{len(entries) + 1}", "ticket_id": base["id"],
                            "company_id": co["id"], "member": members[(i + e) % 4], "started_at": iso(st),
                            "ended_at": iso(st + dt.timedelta(hours=hrs)), "hours": hrs, "billable": rnd.random() < 0.72,
                            "notes": rnd.choice(["Remote session", "Called user", "Replaced toner", "Checked logs; <i>no</i> issue", "On-site visit", ""]),
                            "updated_at": iso(st + dt.timedelta(hours=hrs)), "source_service": co["source_service"], "source_id": f"e{len(entries) + 1}"})
    runs = []
    pairs = [(svc, tb) for svc in services for tb in ["companies", "contacts", "tickets", "time_entries"] if not (svc == "m365" and tb == "time_entries")]
    source = {"companies": companies, "contacts": contacts, "tickets": tickets, "time_entries": entries}
    for k in range(8):
        started = now - dt.timedelta(hours=k * 6 + 1)
        tables = []
        for j, (svc, tb) in enumerate(pairs):
            err = None
            if k == 2 and (svc, tb) == ("servicenow", "tickets"):
                err = "HTTP 503 from upstream after 5 retries"
            if k == 5 and (svc, tb) == ("salesforce", "contacts"):
                err = "2 records failed mapping (missing LastName)"
            ts = started + dt.timedelta(seconds=j * 4)
            tables.append({"service": svc, "table": tb, "status": "failed" if err else "done",
                           "records": 0 if err else (sum(1 for r in source[tb] if r["source_service"] == svc) if k == 7 else (k * 3 + j) % 9),
                           "pages": 1 + j % 3, "requests": 2 + j % 4, "retries": 5 if err else 0, "throttles": j % 2, "error": err,
                           "started_at": iso(ts), "finished_at": iso(ts + dt.timedelta(seconds=3 + j % 5))})
        failed = any(x["error"] for x in tables)
        runs.append({"id": 40 - k, "status": "failed" if failed else "done", "started_at": iso(started),
                     "finished_at": iso(started + dt.timedelta(seconds=95 + k * 13)), "tables": tables})
    watermarks = [{"service": svc, "table": tb, "cursor": iso(now - dt.timedelta(hours=1 if (svc, tb) != ("servicenow", "tickets") else 13, minutes=5)),
                   "updated_at": iso(now - dt.timedelta(hours=1))} for svc, tb in pairs]
    service_rows = [{"service": svc, "tables": "all", "rate_limit": None} for svc in services]
    return {"now": now, "companies": companies, "contacts": contacts, "tickets": tickets, "history": history, "time_entries": entries,
            "runs": runs, "watermarks": watermarks, "services": service_rows}


DATA = build_data()
LOCK = threading.Lock()
ACCESS = {}   # token -> (user email, expires epoch)
REFRESH = {}  # token -> user email
STATS = {"logins": 0, "refreshes": 0, "unauthorized": 0, "failed_logins": 0}
FAILED = []   # timestamps of failed logins (for 429)

# ----------------------------------------------------------------------------- helpers

def parse_ts(s):
    return dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc) if s else None


def period_bounds(period):
    days = {"7d": 7, "30d": 30, "90d": 90, "365d": 365}.get(period or "30d")
    if days is None:
        raise ValueError("period must be one of 7d, 30d, 90d, 365d")
    to = DATA["now"]
    frm = to - dt.timedelta(days=days)
    return frm, to, frm - dt.timedelta(days=days), days


def in_range(ts, a, b):
    t = parse_ts(ts)
    return t is not None and a <= t < b


def kpis_for(a, b):
    t = DATA["tickets"]
    created = [x for x in t if in_range(x["created_at"], a, b)]
    resolved = [x for x in t if in_range(x["resolved_at"], a, b)]
    closed = [x for x in t if in_range(x["closed_at"], a, b)]
    durs = [(parse_ts(x["resolved_at"]) - parse_ts(x["created_at"])).total_seconds() / 3600 for x in resolved]
    # open at the end of the window: created before b and not resolved/closed before b
    open_ = [x for x in t if parse_ts(x["created_at"]) < b and not (x["resolved_at"] and parse_ts(x["resolved_at"]) < b)]
    e = [x for x in DATA["time_entries"] if in_range(x["started_at"], a, b)]
    hrs = sum(x["hours"] for x in e)
    bill = sum(x["hours"] for x in e if x["billable"])
    active = {x["company_id"] for x in created} | {x["company_id"] for x in e}
    return {"tickets_open": len(open_), "tickets_created": len(created), "tickets_resolved": len(resolved), "tickets_closed": len(closed),
            "avg_resolution_hours": round(sum(durs) / len(durs), 1) if durs else None,
            "median_resolution_hours": round(statistics.median(durs), 1) if durs else None,
            "hours_logged": round(hrs, 2), "billable_hours": round(bill, 2), "billable_ratio": round(bill / hrs, 4) if hrs else None,
            "active_companies": len(active), "contacts": sum(1 for c in DATA["contacts"] if c["active"])}


# Per entity, as in Sources/AvesaHost/API/Entities/EntityDefinition.swift.
ENTITIES = {
    "companies": {"sortable": ["id", "name", "identifier", "status", "type", "city", "country", "created_at", "updated_at"],
                  "default_sort": "name", "search": ["name", "identifier", "id"], "filters": ["status", "type", "source_service"],
                  "booleans": [], "date": "created_at"},
    "contacts": {"sortable": ["id", "first_name", "last_name", "email", "company_id", "title", "updated_at"],
                 "default_sort": "last_name", "search": ["first_name", "last_name", "email"], "filters": ["company_id", "source_service"],
                 "booleans": ["active"], "date": "updated_at"},
    "tickets": {"sortable": ["id", "summary", "status", "status_category", "priority", "company_id", "board", "assigned_to",
                             "created_at", "updated_at", "resolved_at", "closed_at"],
                "default_sort": "-created_at", "search": ["summary", "id"],
                "filters": ["company_id", "contact_id", "status", "status_category", "priority", "board", "assigned_to", "source_service"],
                "booleans": [], "date": "created_at"},
    "time_entries": {"sortable": ["id", "started_at", "ended_at", "hours", "member", "company_id", "ticket_id", "updated_at"],
                     "default_sort": "-started_at", "search": ["notes", "member"], "filters": ["company_id", "ticket_id", "member", "source_service"],
                     "booleans": ["billable"], "date": "started_at"},
}


def bad_param(name, problem):
    return ApiError(400, "invalid_parameter", f"Parameter '{name}' {problem}.")


def check_params(q, allowed):
    for k in q:
        if k not in allowed:
            raise bad_param(k, "is not supported by this endpoint")


def parse_bool(name, v):
    if v in ("true", "1"):
        return True
    if v in ("false", "0"):
        return False
    raise bad_param(name, "must be true or false")


def public(rec):
    """A row as the API renders it: canonical columns, source_service, source_id, valid_from."""
    return {**rec, "valid_from": rec.get("updated_at") or rec.get("created_at")}


def list_rows(kind, q):
    ent = ENTITIES[kind]
    check_params(q, {"page", "limit", "sort", "q", "from", "to", "as_of", *ent["filters"], *ent["booleans"]})
    rows = DATA[kind]
    for f in ent["filters"]:
        v = q.get(f)
        if v:
            rows = [r for r in rows if str(r.get(f) or "") == v]
    for f in ent["booleans"]:
        if q.get(f):
            want = parse_bool(f, q[f])
            rows = [r for r in rows if bool(r.get(f)) == want]
    if q.get("q"):
        needle = q["q"].lower()
        rows = [r for r in rows if any(needle in str(r.get(k) or "").lower() for k in ent["search"])]
    df = ent["date"]
    if q.get("from"):
        rows = [r for r in rows if (r.get(df) or "") >= q["from"]]
    if q.get("to"):
        rows = [r for r in rows if r.get(df) and r[df][:10] <= q["to"][:10]]
    sort = q.get("sort") or ent["default_sort"]
    key = sort.lstrip("-")
    if key not in ent["sortable"]:
        raise bad_param("sort", f"must be one of {', '.join(ent['sortable'])}, optionally prefixed with -")
    present = [r for r in rows if r.get(key) is not None]
    present.sort(key=lambda r: (r[key] if isinstance(r[key], (int, float)) else str(r[key]), r["id"]), reverse=sort.startswith("-"))
    rows = present + [r for r in rows if r.get(key) is None]  # NULLS LAST either way
    page, limit = q.get("page") or "1", q.get("limit") or "50"
    if not page.isdigit() or not 1 <= int(page) <= 1_000_000:
        raise bad_param("page", "must be an integer from 1 to 1000000")
    if not limit.isdigit() or not 1 <= int(limit) <= 500:
        raise bad_param("limit", "must be an integer from 1 to 500")
    page, limit = int(page), int(limit)
    total = len(rows)
    return {"data": [public(r) for r in rows[(page - 1) * limit: page * limit]],
            "pagination": {"page": page, "limit": limit, "total": total, "pages": max(1, -(-total // limit))}}

# ----------------------------------------------------------------------------- handler

class ApiError(Exception):
    def __init__(self, status, code, message, headers=None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


class Handler(SimpleHTTPRequestHandler):
    server_version = "AvesaMock/1"
    access_ttl = 900
    latency = 0.0

    def __init__(self, *a, **kw):
        super().__init__(*a, directory=ROOT, **kw)

    def log_message(self, fmt, *args):
        if os.environ.get("MOCK_QUIET") != "1":
            sys.stderr.write("%s %s\n" % (self.command, fmt % args))

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    # ---- plumbing
    def send_json(self, status, body, headers=None):
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(raw)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        if not n:
            return {}
        try:
            return json.loads(self.rfile.read(n))
        except ValueError:
            raise ApiError(400, "bad_json", "Body is not valid JSON")

    def user(self):
        h = self.headers.get("Authorization", "")
        tok = h[7:] if h.startswith("Bearer ") else None
        with LOCK:
            entry = ACCESS.get(tok)
        if not entry or entry[1] < time.time():
            STATS["unauthorized"] += 1
            raise ApiError(401, "token_expired" if entry else "unauthenticated", "Access token missing, invalid or expired")
        return USERS[entry[0]]

    def issue(self, email):
        at, rt = secrets.token_urlsafe(24), secrets.token_urlsafe(32)
        with LOCK:
            ACCESS[at] = (email, time.time() + self.access_ttl)
            REFRESH[rt] = email
        u = {k: v for k, v in USERS[email].items() if k != "password"}
        return {"access_token": at, "refresh_token": rt, "token_type": "Bearer", "expires_in": self.access_ttl, "user": u}

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def dispatch(self, method):
        url = urlparse(self.path)
        path = url.path
        if not (path.startswith("/api/") or path.startswith("/auth/") or path.startswith("/__mock/")):
            if method == "GET":
                return super().do_GET()
            return self.send_json(405, {"error": {"code": "method_not_allowed", "message": "Method not allowed"}})
        q = {k: v[-1] for k, v in parse_qs(url.query).items()}
        if self.latency:
            time.sleep(self.latency)
        try:
            status, body = self.route(method, path, q)
            self.send_json(status, body)
        except ApiError as e:
            self.send_json(e.status, {"error": {"code": e.code, "message": e.message}}, e.headers)
        except ValueError as e:
            self.send_json(400, {"error": {"code": "bad_request", "message": str(e)}})

    def route(self, method, path, q):
        parts = [p for p in path.split("/") if p]
        from urllib.parse import unquote
        parts = [unquote(p) for p in parts]
        # ---- dev helpers
        if parts == ["__mock", "expire"] and method == "POST":
            with LOCK:
                for k in list(ACCESS):
                    ACCESS[k] = (ACCESS[k][0], 0)
            return 200, {"expired": True}
        if parts == ["__mock", "reset-limits"] and method == "POST":
            with LOCK:
                FAILED.clear()
            return 200, {"reset": True}
        if parts == ["__mock", "stats"]:
            return 200, STATS
        # ---- auth
        if parts == ["auth", "login"] and method == "POST":
            b = self.body()
            now = time.time()
            with LOCK:
                FAILED[:] = [t for t in FAILED if now - t < 60]
                if len(FAILED) >= 10:
                    raise ApiError(429, "rate_limited", "Too many login attempts", {"Retry-After": str(int(60 - (now - FAILED[0])) + 1)})
            u = USERS.get(str(b.get("email", "")).lower())
            if not u or u["password"] != b.get("password") or b.get("tenant_id") != u["tenant_id"]:
                with LOCK:
                    FAILED.append(now)
                STATS["failed_logins"] += 1
                raise ApiError(401, "invalid_credentials", "Invalid tenant, email or password")
            STATS["logins"] += 1
            return 200, self.issue(u["email"])
        if parts == ["auth", "refresh"] and method == "POST":
            rt = self.body().get("refresh_token")
            with LOCK:
                email = REFRESH.pop(rt, None)  # rotated: single use
            if not email:
                raise ApiError(401, "invalid_refresh_token", "Refresh token invalid or already used")
            STATS["refreshes"] += 1
            return 200, self.issue(email)
        if parts == ["auth", "logout"] and method == "POST":
            with LOCK:
                REFRESH.pop(self.body().get("refresh_token"), None)
            return 200, {"ok": True}
        if parts == ["auth", "me"]:
            u = self.user()
            return 200, {"data": {k: v for k, v in u.items() if k != "password"}}
        # ---- everything below needs a valid access token
        user = self.user()
        if parts[:2] == ["api", "analytics"]:
            check_params(q, {"period", "from", "to", "metric", "limit"} if parts[2:] == ["companies", "top"] else {"period", "from", "to"})
            if q.get("period") and q["period"] not in ("7d", "30d", "90d", "365d"):
                raise bad_param("period", "must be one of 7d, 30d, 90d, 365d")
            frm, to, prev, days = period_bounds(q.get("period"))
            window = {"name": q.get("period") or "30d", "from": iso(frm), "to": iso(to), "days": days}
            if parts[2:] == ["dashboard"]:
                cur, old = kpis_for(frm, to), kpis_for(prev, frm)
                open_now = sum(1 for x in DATA["tickets"] if x["status_category"] in ("open", "in_progress"))
                series = []
                for d in range(days):
                    a = frm + dt.timedelta(days=d + 1)
                    day = a.date().isoformat()
                    series.append({"date": day,
                                   "created": sum(1 for t in DATA["tickets"] if t["created_at"][:10] == day),
                                   "resolved": sum(1 for t in DATA["tickets"] if (t["resolved_at"] or "")[:10] == day)})
                names = ["tickets_created", "tickets_resolved", "tickets_closed", "avg_resolution_hours", "median_resolution_hours",
                         "hours_logged", "billable_hours", "billable_ratio", "active_companies"]
                kpis = {"tickets_open_now": open_now, **{k: cur[k] for k in names}, "companies": len(DATA["companies"]),
                        "contacts": len(DATA["contacts"]), "active_contacts": sum(1 for c in DATA["contacts"] if c["active"])}
                change = {k: (round((cur[k] - old[k]) / old[k] * 100, 1) if cur[k] is not None and old[k] else None) for k in names}
                return 200, {"period": window, "previous_period": {"name": window["name"], "from": iso(prev), "to": iso(frm), "days": days},
                             "kpis": kpis, "previous": {k: old[k] for k in names}, "change_percent": change, "series": series}
            if parts[2:] == ["tickets", "status"]:
                rows = [t for t in DATA["tickets"] if in_range(t["created_at"], frm, to)]
                def count(k):
                    c = {}
                    for r in rows:
                        c[r[k]] = c.get(r[k], 0) + 1
                    return [{"value": name, "count": n} for name, n in sorted(c.items(), key=lambda x: (-x[1], x[0] or ""))]
                return 200, {"period": window, "total": len(rows), "by_status": count("status"),
                             "by_status_category": count("status_category"), "by_priority": count("priority")}
            if parts[2:] == ["companies", "top"]:
                metric = q.get("metric", "tickets")
                if metric not in ("tickets", "hours", "billable_hours"):
                    raise ValueError("metric must be tickets, hours or billable_hours")
                if q.get("limit") and not (q["limit"].isdigit() and 1 <= int(q["limit"]) <= 100):
                    raise bad_param("limit", "must be an integer from 1 to 100")
                limit = int(q.get("limit") or 10)
                agg = {}
                if metric == "tickets":
                    for t in DATA["tickets"]:
                        if in_range(t["created_at"], frm, to):
                            agg[t["company_id"]] = agg.get(t["company_id"], 0) + 1
                else:
                    for e in DATA["time_entries"]:
                        if in_range(e["started_at"], frm, to) and (metric == "hours" or e["billable"]):
                            agg[e["company_id"]] = round(agg.get(e["company_id"], 0) + e["hours"], 2)
                names = {c["id"]: c["name"] for c in DATA["companies"]}
                top = sorted(agg.items(), key=lambda x: -x[1])[:limit]
                return 200, {"metric": metric, "period": window,
                             "data": [{"rank": i + 1, "company_id": k, "name": names.get(k), "value": v} for i, (k, v) in enumerate(top)]}
        if parts[:1] == ["api"] and len(parts) >= 2 and parts[1] in ("companies", "contacts", "tickets", "time-entries"):
            kind = parts[1].replace("-", "_")
            if len(parts) == 2:
                return 200, list_rows(kind, q)
            rec = next((r for r in DATA[kind] if r["id"] == parts[2]), None)
            if rec is None:
                raise ApiError(404, "not_found", f"No {kind[:-1]} with id {parts[2]}")
            if len(parts) >= 3:
                check_params(q, {"as_of"})
            if len(parts) == 3:
                rec = public(rec)
                if kind == "tickets":
                    te = [e for e in DATA["time_entries"] if e["ticket_id"] == rec["id"]]
                    rec["totals"] = {"time_entries": len(te), "hours": round(sum(e["hours"] for e in te), 2),
                                     "billable_hours": round(sum(e["hours"] for e in te if e["billable"]), 2)}
                if kind == "companies":
                    tk = [t for t in DATA["tickets"] if t["company_id"] == rec["id"]]
                    te = [e for e in DATA["time_entries"] if e["company_id"] == rec["id"]]
                    rec = {**rec, "totals": {"tickets": len(tk), "open_tickets": sum(1 for t in tk if t["status_category"] in ("open", "in_progress")),
                                             "contacts": sum(1 for c in DATA["contacts"] if c["company_id"] == rec["id"]), "time_entries": len(te),
                                             "hours": round(sum(e["hours"] for e in te), 2),
                                             "billable_hours": round(sum(e["hours"] for e in te if e["billable"]), 2)}}
                return 200, {"data": rec}
            if kind == "tickets" and parts[3:] == ["history"]:
                versions = DATA["history"].get(rec["id"], [])
                return 200, {"data": versions, "id": rec["id"], "versions": len(versions)}
        if parts[:2] == ["api", "pipeline"]:
            if user["role"] != "admin":
                raise ApiError(403, "forbidden", "This needs the admin role.")
            now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
            with LOCK:  # a started run finishes after ~6 s
                for r in DATA["runs"]:
                    if r["status"] == "running" and time.time() - parse_ts(r["started_at"]).timestamp() > 6:
                        r["status"], r["finished_at"] = "done", iso(now)
                        for tb in r["tables"]:
                            tb.update(status="done", finished_at=iso(now), records=3)
            if parts[2:] == ["runs"]:
                return 200, {"data": DATA["runs"][:20]}
            if parts[2:] == ["status"]:
                last = DATA["runs"][0]["tables"] if DATA["runs"] else []
                return 200, {"services": DATA["services"], "watermarks": DATA["watermarks"], "last_run_tables": last,
                             "chunks_pending": 3 if any(r["status"] == "running" for r in DATA["runs"]) else 0}
            if parts[2:] == ["run"] and method == "POST":
                with LOCK:
                    if any(r["status"] == "running" for r in DATA["runs"]):
                        raise ApiError(409, "run_in_progress", "A run for this tenant is already in progress.")
                    run_id = max((r["id"] for r in DATA["runs"]), default=0) + 1
                    tables = [{**tb, "status": "running", "records": 0, "error": None, "started_at": iso(now), "finished_at": None}
                              for tb in (DATA["runs"][0]["tables"] if DATA["runs"] else [])]
                    DATA["runs"].insert(0, {"id": run_id, "status": "running", "started_at": iso(now), "finished_at": None, "tables": tables})
                return 202, {"run_id": run_id, "status": "running"}
        raise ApiError(404, "not_found", "No such endpoint")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=int(os.environ.get("MOCK_PORT", 8088)))
    ap.add_argument("--access-ttl", type=int, default=900, help="access token lifetime in seconds (default 900)")
    ap.add_argument("--latency", type=float, default=0.0, help="seconds to sleep before each API answer (to see loading states)")
    args = ap.parse_args()
    Handler.access_ttl = args.access_ttl
    Handler.latency = args.latency
    srv = ThreadingHTTPServer((args.host, args.port), Handler)
    srv.daemon_threads = True
    print(f"Avesa mock on http://{args.host}:{args.port}/ serving {ROOT}", flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
