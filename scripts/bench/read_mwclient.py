"""read_mwclient.py: the benchmark's read-and-parse workload done with
mwclient (requests) and mwparserfromhell.

    /usr/bin/python3 scripts/bench/read_mwclient.py    (settings in the environment)

MW_API_URL, MW_BOT_USER/MW_BOT_PASSWORD (optional BotPassword), BENCH_PREFIX,
BENCH_NAMESPACE, BENCH_TEMPLATE, BENCH_BATCH, BENCH_DUMP (optional file for
the digest lines). Run it with Debian's /usr/bin/python3, which has
python3-mwclient and python3-mwparserfromhell (scripts/bench/peers.sh).
Prints one JSON line; read_mwn.mjs does the same work with mwn.
"""
import hashlib
import json
import os
import posixpath
import re
import sys
import time
from urllib.parse import urlsplit


def fail(msg):
    print(f"read_mwclient: error: {msg}", file=sys.stderr)
    sys.exit(1)


try:
    import mwclient
    import mwparserfromhell
    import requests
except ImportError as e:
    fail(f"{e} (run with /usr/bin/python3 after scripts/bench/peers.sh)")


def env(name, default=None):
    v = os.environ.get(name, default)
    if not v:
        fail(f"{name} is not set")
    return v


def norm_name(s):
    """The normalised template name: strip, drop a "Template:" prefix,
    underscores and runs of spaces to one space, first letter upper-cased."""
    s = re.sub(r"^template\s*:", "", s.strip(), flags=re.I)
    s = re.sub(r" {2,}", " ", s.replace("_", " ")).strip()
    return s[:1].upper() + s[1:]


def php_trim(s):
    """PHP's trim(), as MediaWiki and the bot trim parameter names and values
    (str.strip() would also remove no-break and other Unicode spaces)."""
    return s.strip(" \t\n\r\0\x0b")


class CountingSession(requests.Session):
    """A keep-alive requests session that counts the HTTP requests sent."""

    count = 0

    def request(self, *args, **kwargs):
        self.count += 1
        return super().request(*args, **kwargs)


def work(site, ns, prefix, batch, wanted, dump):
    # 1. The titles, subpages left out. The API's title carries the
    # namespace's local name before a colon.
    prefix_len = len(prefix.replace("_", " "))
    titles = []
    cont = {}
    while True:
        res = site.get("query", list="allpages", apnamespace=ns, apprefix=prefix,
                       aplimit="max", apfilterredir="nonredirects", formatversion=2, **cont)
        for p in res.get("query", {}).get("allpages", []):
            local = p["title"] if ns == 0 else p["title"].split(":", 1)[1]
            if "/" not in local[prefix_len:]:
                titles.append(p["title"])
        if "continue" not in res:
            break
        cont = res["continue"]

    # 2. Latest content, BENCH_BATCH titles a request (POST: 500 titles do not
    # fit in a GET URL on real wikis); pages the API leaves without revisions
    # (result size limit) come with rvcontinue.
    texts = {}
    for i in range(0, len(titles), batch):
        chunk = "|".join(titles[i:i + batch])
        cont = {}
        while True:
            res = site.post("query", prop="revisions", rvprop="ids|timestamp|user|content",
                            rvslots="main", titles=chunk, formatversion=2, **cont)
            for p in res.get("query", {}).get("pages", []):
                revs = p.get("revisions")
                if revs:
                    texts[p["title"]] = revs[0].get("slots", {}).get("main", {}).get("content", "")
            if "continue" not in res:
                break
            cont = res["continue"]

    # 3 and 4. Parse, digest in title order (code-point order of Python
    # strings is the byte-wise order of their UTF-8).
    parse_start = time.perf_counter()
    h = hashlib.sha256()
    lines = [] if dump else None
    n_templates = n_params = 0
    for title in sorted(texts):
        # recursive=True: nested templates too, each after the one it is in.
        for t in mwparserfromhell.parse(texts[title]).filter_templates(recursive=True):
            if norm_name(str(t.name)) != wanted:
                continue
            n_templates += 1
            for p in t.params:
                line = f"{title}\x1f{php_trim(str(p.name))}\x1f{php_trim(str(p.value))}\n"
                h.update(line.encode("utf-8", "surrogatepass"))
                if dump:
                    lines.append(line)
                n_params += 1
    if dump:
        with open(dump, "w", encoding="utf-8", errors="surrogatepass", newline="") as f:
            f.write("".join(lines))
    return {"pages": len(texts), "templates": n_templates, "params": n_params,
            "digest": h.hexdigest(),
            "parse_seconds": round(time.perf_counter() - parse_start, 4)}


def main():
    api = urlsplit(env("MW_API_URL"))
    # mwclient builds scheme://host + path + "api" + ext: split the URL's path
    # ("/w/api.php") into the folder ("/w/") and the extension (".php").
    folder, script = posixpath.split(api.path)
    if not script.startswith("api") or api.scheme not in ("http", "https"):
        fail(f"MW_API_URL {api.geturl()} does not end in api.php")
    try:
        ns, batch = int(env("BENCH_NAMESPACE")), int(env("BENCH_BATCH", "50"))
    except ValueError:
        fail("BENCH_NAMESPACE and BENCH_BATCH must be numbers")
    if batch <= 0:
        fail("BENCH_BATCH must be a positive number")
    prefix, wanted = env("BENCH_PREFIX"), norm_name(env("BENCH_TEMPLATE"))
    user, password = os.environ.get("MW_BOT_USER", ""), os.environ.get("MW_BOT_PASSWORD", "")

    session = CountingSession()
    session.headers["User-Agent"] = (
        f"letsconnect-bench/1.0 (peer benchmark) mwclient/{mwclient.__version__}")
    t0 = time.perf_counter()
    # Site() itself sends one request (siteinfo and userinfo): setup, not work.
    # Retries as mwn's (3, 5 s apart) rather than mwclient's 25 growing ones.
    site = mwclient.Site(api.netloc, path=folder.rstrip("/") + "/", ext=script[3:],
                         scheme=api.scheme, pool=session, max_retries=3, retry_timeout=5)
    if user and password:
        site.login(user, password)
    login_seconds = time.perf_counter() - t0
    login_requests, session.count = session.count, 0

    t0 = time.perf_counter()
    r = work(site, ns, prefix, batch, wanted, os.environ.get("BENCH_DUMP", ""))
    seconds = time.perf_counter() - t0
    print(json.dumps({
        "peer": "mwclient", "version": mwclient.__version__, **r,
        "requests": session.count, "seconds": round(seconds, 4),
        "login_seconds": round(login_seconds, 4), "login_requests": login_requests,
        "c_tokenizer": bool(mwparserfromhell.parser.use_c),
        "mwparserfromhell": mwparserfromhell.__version__,
    }, ensure_ascii=False, separators=(",", ":")))


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception as e:  # one clear line, not a traceback, for the harness
        fail(f"{type(e).__name__}: {e}")
