#!/usr/bin/env python3
"""End-to-end browser test of the Avesa dashboard (Python standard library only).

Drives headless Chromium through chromedriver's W3C WebDriver HTTP API (urllib), against
a running server — the real `avesa-host serve` or the mock (dashboard/dev/mock-server.py):

    python3 tests/browser/dashboard_test.py [BASE_URL] [--out DIR] [--chromedriver PATH]

BASE_URL defaults to $AVESA_URL, else http://127.0.0.1:8088. Credentials come from
AVESA_TENANT / AVESA_EMAIL / AVESA_PASSWORD (defaults sitetechnology /
admin@sitetechnology.com / demo123). Screenshots (desktop 1280x900 and phone 390x844,
full page) go to --out (default $AVESA_SCREENSHOTS, else /tmp/avesa-dashboard-screens).
Set CHROMEDRIVER_URL to use an already running chromedriver instead of starting one.

It signs in (after one wrong password), checks the KPI cards are filled and the charts'
SVGs have elements, switches period, walks every page, opens a ticket's SCD2 history,
checks injected markup in the data never executes, and signs out. Against the mock it
also expires the access token to exercise the silent refresh, and presses Run now.
Exit status 0 when every check passed, 1 otherwise; the last line is "N passed, N failed".
"""
import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


class WebDriverError(Exception):
    pass


class Browser:
    def __init__(self, driver_url, chrome_binary=None):
        self.url = driver_url.rstrip("/")
        opts = {"args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,900", "--force-prefers-reduced-motion", "--lang=en-US"]}
        if chrome_binary:
            opts["binary"] = chrome_binary
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": opts,
                                                 "goog:loggingPrefs": {"browser": "ALL"}}}}
        self.sid = self._req("POST", "/session", caps)["sessionId"]
        self.phone = False
        self.viewport = (1280, 900)

    def _req(self, method, path, body=None, timeout=60):
        data = json.dumps(body).encode() if body is not None else (b"{}" if method == "POST" else None)
        req = urllib.request.Request(self.url + path, data=data, method=method, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                out = json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            try:
                v = json.loads(e.read()).get("value", {})
                raise WebDriverError(f"{v.get('error')}: {str(v.get('message'))[:300]}") from None
            except (ValueError, AttributeError):
                raise WebDriverError(f"HTTP {e.code} on {path}") from None
        return out.get("value", out) if isinstance(out, dict) and "value" in out else out

    def s(self, method, path, body=None):
        return self._req(method, f"/session/{self.sid}{path}", body)

    def quit(self):
        try:
            self._req("DELETE", f"/session/{self.sid}")
        except Exception:
            pass

    # --- navigation and scripts
    def get(self, url):
        self.s("POST", "/url", {"url": url})

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def cdp(self, cmd, params=None):
        return self.s("POST", "/goog/cdp/execute", {"cmd": cmd, "params": params or {}})

    def hash(self, h):
        self.js("window.location.hash = arguments[0];", h)

    # --- elements
    def find_all(self, css):
        return [e.get(ELEMENT) or next(iter(e.values())) for e in self.s("POST", "/elements", {"using": "css selector", "value": css})]

    def find(self, css):
        els = self.find_all(css)
        if not els:
            raise WebDriverError(f"no element matches {css!r}")
        return els[0]

    def click(self, css):
        self.s("POST", f"/element/{self.find(css)}/click")

    def type(self, css, text, clear=True):
        eid = self.find(css)
        if clear:
            self.s("POST", f"/element/{eid}/clear")
        self.s("POST", f"/element/{eid}/value", {"text": text})

    def text(self, css):
        return self.js("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css)

    def count(self, css):
        return self.js("return document.querySelectorAll(arguments[0]).length;", css)

    def wait(self, fn, timeout=10.0, what="condition"):
        end = time.time() + timeout
        last = None
        while time.time() < end:
            try:
                v = fn()
                if v:
                    return v
            except WebDriverError as e:
                last = e
            time.sleep(0.15)
        raise AssertionError(f"timed out waiting for {what}" + (f" ({last})" if last else ""))

    def wait_css(self, css, n=1, timeout=10.0):
        return self.wait(lambda: self.count(css) >= n, timeout, f"{n}× {css}")

    # --- viewport and screenshots
    def set_viewport(self, w, h, phone=False):
        self.phone, self.viewport = phone, (w, h)
        self.cdp("Emulation.setDeviceMetricsOverride", {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": phone})
        time.sleep(0.3)

    def screenshot(self, path, full=True, max_height=None):
        """PNG of the page; full=True grows the viewport to the page height (capped: 8000 px,
        2000 px on a phone, so long tables stay viewable)."""
        w, h = self.viewport
        if full:
            height = int(self.js("return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight);") or h)
            cap = max_height or (2000 if self.phone else 8000)
            self.cdp("Emulation.setDeviceMetricsOverride", {"width": w, "height": min(max(h, height), cap), "deviceScaleFactor": 1, "mobile": self.phone})
            time.sleep(0.35)
        png = self.cdp("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(png))
        if full:
            self.cdp("Emulation.setDeviceMetricsOverride", {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": self.phone})
        return path

    def logs(self):
        try:
            return self.s("POST", "/se/log", {"type": "browser"})
        except WebDriverError:
            return []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_chromedriver(path):
    port = free_port()
    proc = subprocess.Popen([path, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with urllib.request.urlopen(url + "/status", timeout=1) as r:
                if json.loads(r.read())["value"]["ready"]:
                    return proc, url
        except Exception:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("chromedriver did not start")


def http(method, url, timeout=5):
    try:
        req = urllib.request.Request(url, data=b"{}" if method == "POST" else None, method=method, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            try:
                return r.status, json.loads(raw or b"{}")
            except ValueError:
                return r.status, None
    except urllib.error.HTTPError as e:
        return e.code, None
    except Exception:
        return 0, None


def main():
    ap = argparse.ArgumentParser(description="Avesa dashboard browser test")
    ap.add_argument("base", nargs="?", default=os.environ.get("AVESA_URL", "http://127.0.0.1:8088"))
    ap.add_argument("--out", default=os.environ.get("AVESA_SCREENSHOTS", "/tmp/avesa-dashboard-screens"))
    ap.add_argument("--chromedriver", default=os.environ.get("CHROMEDRIVER", shutil.which("chromedriver") or "/usr/bin/chromedriver"))
    ap.add_argument("--chrome", default=os.environ.get("CHROME_BINARY", shutil.which("chromium") or None))
    args = ap.parse_args()
    base = args.base.rstrip("/")
    tenant = os.environ.get("AVESA_TENANT", "sitetechnology")
    email = os.environ.get("AVESA_EMAIL", "admin@sitetechnology.com")
    password = os.environ.get("AVESA_PASSWORD", "demo123")
    os.makedirs(args.out, exist_ok=True)
    for old in os.listdir(args.out):  # stale failure shots from an earlier run
        if old.startswith("FAILED-") and old.endswith(".png"):
            os.remove(os.path.join(args.out, old))
    is_mock = http("GET", base + "/__mock/stats")[0] == 200
    if is_mock:
        http("POST", base + "/__mock/reset-limits")

    results = []
    shots = []
    proc = None
    if os.environ.get("CHROMEDRIVER_URL"):
        driver_url = os.environ["CHROMEDRIVER_URL"]
    else:
        proc, driver_url = start_chromedriver(args.chromedriver)
    b = None
    try:
        b = Browser(driver_url, args.chrome)
        b.set_viewport(1280, 900)

        def check(name, fn):
            t0 = time.time()
            try:
                detail = fn()
                results.append((name, True, detail or ""))
                print(f"PASS {name} ({time.time() - t0:.1f}s){' — ' + str(detail) if detail else ''}", flush=True)
            except Exception as e:  # noqa: BLE001 — report and continue
                results.append((name, False, str(e)))
                print(f"FAIL {name}: {e}", flush=True)
                try:
                    shots.append(b.screenshot(os.path.join(args.out, f"FAILED-{name}.png"), full=False))
                except Exception:
                    pass

        def shot(name):
            shots.append(b.screenshot(os.path.join(args.out, f"{name}.png")))

        def no_xss():
            assert b.js("return window.__xss === undefined;"), "injected markup from the data executed (window.__xss set)"
            assert b.count("main script, main img") == 0, "data produced <script>/<img> elements"

        # ------------------------------------------------------------------ adapters (dashboard/dev/shapes-test.html)
        def shapes_unit():
            b.get(base + "/dev/shapes-test.html")
            b.wait(lambda: b.js("return document.getElementById('summary') && document.getElementById('summary').dataset.done === '1';"), 10, "adapter checks")
            summary = b.text("#summary")
            fails = b.js("return [...document.querySelectorAll('#results li')].map(l => l.textContent).filter(t => t.startsWith('FAIL'));")
            assert not fails, "; ".join(fails)
            return summary
        if http("GET", base + "/dev/shapes-test.html")[0] != 404:
            check("api_shapes_adapters", shapes_unit)

        # ------------------------------------------------------------------ sign-in
        def login_page():
            b.get(base + "/")
            b.js("sessionStorage.clear(); localStorage.clear();")
            b.get(base + "/#/login")
            b.wait_css("#login-tenant")
            shot("desktop-01-login")
            b.type("#login-tenant", tenant)
            b.type("#login-email", email)
            b.type("#login-password", password + "-wrong")
            b.click("#login-submit")
            b.wait(lambda: (b.text(".form-message") or "").strip(), 10, "login error message")
            msg = b.text(".form-message").strip()
            assert b.count(".kpi-card") == 0
            return f"wrong password rejected: {msg!r}"
        check("login_rejects_wrong_password", login_page)

        def login():
            b.type("#login-password", password)
            b.click("#login-submit")
            b.wait_css(".kpi-card .kpi-value", 1, 15)
            stored = b.js("return sessionStorage.getItem('avesa.session.v1') !== null;")
            assert stored, "no session in sessionStorage"
            return "signed in, session in sessionStorage"
        check("login", login)

        # ------------------------------------------------------------------ overview
        def kpis():
            b.wait(lambda: b.count(".kpi-card") >= 4 and b.count(".kpis [aria-busy]") == 0, 10, "KPI cards")
            vals = b.js("return [...document.querySelectorAll('.kpi-card')].map(c => [c.querySelector('.kpi-label').textContent, c.querySelector('.kpi-value').textContent.trim(), c.querySelector('.kpi-delta').textContent.trim()]);")
            empty = [v for v in vals if not v[1] or v[1] == "—"]
            assert len(empty) < len(vals), f"all KPI values empty: {vals}"
            assert not [v for v in vals if not v[1]], f"KPI with empty text: {empty}"
            return f"{len(vals)} cards, e.g. {vals[0][0]}={vals[0][1]} ({vals[0][2]})"
        check("kpi_cards_filled", kpis)

        def charts():
            b.wait(lambda: b.count("svg.chart-svg") >= 3, 10, "three chart SVGs")
            counts = b.js("return [...document.querySelectorAll('svg.chart-svg')].map(s => s.querySelectorAll('path, rect, circle, line').length);")
            assert all(c > 0 for c in counts), f"a chart SVG has no drawing elements: {counts}"
            assert b.count("svg.chart-svg path.line") >= 2, "line chart has no lines"
            assert b.count("svg.chart-svg rect.bar") >= 1, "bar charts have no bars"
            no_xss()
            return f"SVG element counts {counts}"
        check("charts_drawn", charts)
        shot("desktop-02-overview")

        def period_switch():
            before = b.text(".kpis")
            b.click(".segmented label:nth-of-type(1)")  # 7 days
            b.wait(lambda: "period=7d" in b.js("return location.hash;"), 5, "period=7d in the hash")
            b.wait(lambda: b.count(".kpi-card") >= 4 and b.text(".kpis") != before, 10, "KPI cards for 7 days")
            b.wait(lambda: b.count("svg.chart-svg") >= 3, 10, "charts for 7 days")
            b.click("button[aria-pressed][data-dim='priority']")
            b.wait(lambda: "priority" in (b.text(".chart-card:nth-child(2) figcaption") or "").lower(), 5, "priority chart")
            return "7 days selected; status chart grouped by priority"
        check("period_selector", period_switch)
        shot("desktop-03-overview-7d")

        # ------------------------------------------------------------------ companies
        def companies():
            b.hash("#/companies")
            b.wait_css("table.data-table tbody tr", 1, 10)
            no_xss()
            n = b.count("table.data-table tbody tr")
            status = b.text(".table-status")
            b.type("input[type=search]", "acme")
            b.wait(lambda: b.text(".table-status") != status and b.count(".busy") == 0, 10, "search results")
            b.wait(lambda: "q=acme" in b.js("return location.hash;"), 5, "search in the hash")
            found = b.count("table.data-table tbody tr")
            b.click(".filters button.reset")
            b.wait(lambda: b.count("table.data-table tbody tr") == n, 10, "reset")
            return f"{n} rows, 'acme' → {found} rows"
        check("companies_table_search", companies)
        shot("desktop-04-companies")

        def sort_and_page():
            first = b.text("table.data-table tbody tr th")
            b.click("th[aria-sort] button.sort")
            b.wait(lambda: b.text("table.data-table tbody tr th") != first, 10, "sorted rows")
            sort_state = b.js("return document.querySelector('th[aria-sort]').getAttribute('aria-sort');")
            return f"first column now {sort_state}"
        check("companies_sort", sort_and_page)

        def company_page():
            b.hash("#/companies")
            b.wait_css("table.data-table tbody tr th a", 1, 10)
            b.click("table.data-table tbody tr th a")
            b.wait(lambda: b.js("return location.hash.startsWith('#/companies/');"), 5, "company route")
            b.wait_css(".kpi-card", 4, 10)
            b.wait(lambda: b.count(".table-card") >= 2 and b.count(".table-card .loading") == 0, 10, "company tickets and hours tables")
            return f"{b.text('h1')!r}: {b.count('.table-card table tbody tr')} ticket/hour rows"
        check("company_page", company_page)
        shot("desktop-05-company")

        def contacts():
            b.hash("#/contacts")
            b.wait_css("table.data-table tbody tr", 1, 10)
            return b.text(".table-status")
        check("contacts_table", contacts)
        shot("desktop-06-contacts")

        def time_entries():
            b.hash("#/time-entries")
            b.wait_css("table.data-table tbody tr", 1, 10)
            return b.text(".table-status")
        check("time_entries_table", time_entries)
        shot("desktop-07-time-entries")

        # ------------------------------------------------------------------ tickets
        def tickets():
            b.hash("#/tickets")
            b.wait_css("table.data-table tbody tr", 1, 10)
            total = b.text(".table-status")
            b.js("const s = document.querySelector('select[name=status_category]'); s.value = 'closed'; s.dispatchEvent(new Event('change'));")
            b.wait(lambda: "status_category=closed" in b.js("return location.hash;"), 5, "filter in the hash")
            b.wait(lambda: b.text(".table-status") != total and b.count(".busy") == 0, 10, "filtered rows")
            pages = b.text(".page-of")
            if b.count(".pager button:not([disabled])") and "of 1" not in (pages or ""):
                b.click(".pager button:nth-of-type(2)")
                b.wait(lambda: "page=2" in b.js("return location.hash;"), 5, "page 2")
                b.wait(lambda: "Page 2" in (b.text(".page-of") or ""), 10, "page 2 rendered")
                b.js("history.back();")
                b.wait(lambda: "Page 1" in (b.text(".page-of") or ""), 10, "back to page 1")
            return f"all: {total}; closed: {b.text('.table-status')}; {pages}"
        check("tickets_table_filter_pagination", tickets)

        def a11y_basics():
            problems = b.js("""
              const out = [];
              for (const el of document.querySelectorAll('input, select, textarea')) {
                if (el.type === 'hidden') continue;
                const labelled = (el.id && document.querySelector('label[for="' + el.id + '"]')) || el.closest('label') || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
                if (!labelled) out.push('unlabelled ' + el.tagName + ' ' + (el.name || ''));
              }
              for (const el of document.querySelectorAll('button, a[href]')) {
                if (!(el.textContent.trim() || el.getAttribute('aria-label'))) out.push('nameless ' + el.tagName);
              }
              if (document.querySelectorAll('[onclick], div[tabindex="0"]').length) out.push('inline handlers or fake buttons');
              if (!document.querySelector('[aria-live]')) out.push('no aria-live region');
              return out;""")
            assert not problems, "; ".join(problems[:5])
            # Keyboard: the sort buttons and pager are real buttons reachable by Tab.
            assert b.count("th[aria-sort] button.sort") >= 3
            return "every control labelled, buttons named, live regions present"
        check("a11y_basics", a11y_basics)
        shot("desktop-08-tickets-closed")

        def ticket_history():
            b.wait_css("table.data-table tbody tr th a", 1, 10)
            b.click("table.data-table tbody tr th a")
            b.wait(lambda: b.js("return location.hash.startsWith('#/tickets/');"), 5, "ticket route")
            b.wait_css(".timeline .version", 1, 10)
            b.wait_css(".details", 1, 10)
            n = b.count(".timeline .version")
            changed = b.count(".timeline .changes tbody tr")
            if n >= 2:
                assert changed >= 1, "versions after the first show no changed fields"
            assert b.count(".timeline .version.current") <= 1
            no_xss()
            return f"{n} versions, {changed} field changes shown"
        check("ticket_history", ticket_history)
        shot("desktop-09-ticket-history")

        # ------------------------------------------------------------------ pipeline
        def pipeline():
            b.hash("#/pipeline")
            b.wait(lambda: b.count("section table tbody tr") >= 2 and b.count("main .loading") == 0, 10, "pipeline tables")
            has_run = b.count("#run-now") == 1
            detail = f"{b.count('section table tbody tr')} rows, {b.count('tr.has-error')} with errors, Run now button: {has_run}"
            if is_mock or os.environ.get("AVESA_TEST_RUN_PIPELINE") == "1":
                assert has_run, "admin sees no Run now button"
                b.click("#run-now")
                b.wait(lambda: "started" in (b.text(".form-message") or ""), 10, "run started message")
                detail += f"; {b.text('.form-message').strip()}"
            return detail
        check("pipeline_page", pipeline)
        shot("desktop-10-pipeline")

        # ------------------------------------------------------------------ token refresh (mock only)
        if is_mock:
            def refresh():
                _, before = http("GET", base + "/__mock/stats")
                assert http("POST", base + "/__mock/expire")[0] == 200
                b.hash("#/contacts")
                b.wait_css("table.data-table tbody tr", 1, 10)
                _, after = http("GET", base + "/__mock/stats")
                assert after["refreshes"] > before["refreshes"], "no refresh call was made"
                assert b.count("#login-tenant") == 0, "sent back to login"
                return f"refreshes {before['refreshes']} → {after['refreshes']}, still signed in"
            check("silent_token_refresh", refresh)

        # ------------------------------------------------------------------ phone
        b.set_viewport(390, 844, phone=True)

        def phone_overview():
            b.hash("#/overview")
            b.wait(lambda: b.count(".kpi-card") >= 4 and b.count("svg.chart-svg") >= 3, 10, "overview on phone")
            time.sleep(0.4)
            sw = b.js("return document.documentElement.scrollWidth;")
            assert sw <= 392, f"page scrolls horizontally on a phone (scrollWidth {sw})"
            return f"scrollWidth {sw}"
        check("phone_overview", phone_overview)
        shot("phone-01-overview")

        def phone_menu():
            b.click("#menu-button")
            b.wait(lambda: b.js("return getComputedStyle(document.getElementById('nav')).display !== 'none';"), 5, "menu open")
            b.screenshot(os.path.join(args.out, "phone-02-menu.png"), full=False)
            shots.append(os.path.join(args.out, "phone-02-menu.png"))
            b.click("#nav a[href='#/tickets']")
            b.wait_css("table.data-table tbody tr", 1, 10)
            sw = b.js("return document.documentElement.scrollWidth;")
            assert sw <= 392, f"tickets page scrolls horizontally (scrollWidth {sw})"
            return "menu opens and navigates"
        check("phone_menu_and_tickets", phone_menu)
        shot("phone-03-tickets")

        def phone_ticket():
            b.hash("#/tickets?status_category=closed")  # closed tickets have several versions
            b.wait(lambda: b.count("table.data-table tbody tr th a") and b.count(".busy") == 0, 10, "closed tickets")
            b.click("table.data-table tbody tr th a")
            b.wait_css(".timeline .version", 1, 10)
            return f"{b.count('.timeline .version')} versions"
        check("phone_ticket", phone_ticket)
        shot("phone-04-ticket")

        def phone_login_and_logout():
            b.hash("#/companies")
            b.wait_css("table.data-table tbody tr", 1, 10)
            shots.append(b.screenshot(os.path.join(args.out, "phone-05-companies.png")))
            b.click("#logout")
            b.wait_css("#login-tenant", 1, 10)
            assert b.js("return sessionStorage.getItem('avesa.session.v1') === null;"), "session still stored after sign-out"
            b.hash("#/tickets")
            b.wait_css("#login-tenant", 1, 5)
            return "signed out; protected pages go to login"
        check("logout", phone_login_and_logout)
        shot("phone-06-login")

        viewer = os.environ.get("AVESA_VIEWER_EMAIL") or ("analyst@sitetechnology.com" if is_mock else None)
        if viewer:
            def viewer_role():
                b.set_viewport(1280, 900)
                b.hash("#/login")
                b.wait_css("#login-tenant", 1, 5)
                b.type("#login-tenant", tenant)
                b.type("#login-email", viewer)
                b.type("#login-password", os.environ.get("AVESA_VIEWER_PASSWORD", password))
                b.click("#login-submit")
                b.wait_css("#logout", 1, 15)  # lands on the page asked for before sign-in
                assert b.count("#nav a[href='#/pipeline']") == 0, "non-admin sees the Pipeline link"
                b.hash("#/pipeline")
                b.wait(lambda: b.count("main h1") == 1 and b.count("main .loading") == 0, 10, "pipeline page settles")
                assert b.count("#run-now") == 0, "non-admin sees Run now"
                shots.append(b.screenshot(os.path.join(args.out, "desktop-11-pipeline-non-admin.png")))
                b.click("#logout")
                b.wait_css("#login-tenant", 1, 10)
                return f"{viewer}: no Pipeline link, no Run now"
            check("non_admin_has_no_run_now", viewer_role)

        if is_mock:
            def login_rate_limit():
                for _ in range(10):
                    req = urllib.request.Request(base + "/auth/login", method="POST", headers={"Content-Type": "application/json"},
                                                 data=json.dumps({"tenant_id": tenant, "email": email, "password": "wrong"}).encode())
                    try:
                        urllib.request.urlopen(req, timeout=5)
                    except urllib.error.HTTPError:
                        pass
                b.hash("#/login")
                b.wait_css("#login-tenant", 1, 5)
                b.type("#login-tenant", tenant)
                b.type("#login-email", email)
                b.type("#login-password", password)
                b.click("#login-submit")
                b.wait(lambda: "Try again in" in (b.text(".form-message") or ""), 10, "429 message with the wait")
                msg = b.text(".form-message").strip()
                http("POST", base + "/__mock/reset-limits")
                return msg
            check("login_rate_limited_429", login_rate_limit)

        def console_errors():
            bad = [l for l in b.logs() if l.get("level") == "SEVERE" and ("Uncaught" in l.get("message", "") or "Content Security Policy" in l.get("message", ""))]
            assert not bad, "; ".join(l["message"][:200] for l in bad[:3])
            return "no uncaught errors or CSP violations"
        check("no_console_errors", console_errors)
    finally:
        if b:
            b.quit()
        if proc:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()

    passed = sum(1 for r in results if r[1])
    failed = len(results) - passed
    print("\nScreenshots:")
    for p in dict.fromkeys(shots):
        print("  " + p)
    print(f"\n{passed} passed, {failed} failed")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
