#!/usr/bin/env python3
"""demo-snapshot.py: the latest revision of every page of the demo, to show
that the integration tests leave the demo as `make demo` left it.

    scripts/demo-snapshot.py [--text] API_URL ROOT [ACCOUNTS_FILE...]

Prints one line per page, sorted: its title and its latest revision id (0
when it does not exist). With --text, each existing page's title and its
latest wikitext instead, to compare two wikis' demos (two runs of make
demo on two wikis: DEVWIKI_PORT, DEVWIKI_DIR). The pages are every page whose title starts with
ROOT, the on-wiki templates (Template:Let's Connect...), and the user and
user talk pages of every account in the ACCOUNTS_FILEs (accounts.txt, as
`letsconnect-dev demo generate` writes it). make test takes a snapshot before
and after the tests and fails when they differ.

Only the standard library: it reads the API anonymously.
"""
import json
import sys
import urllib.parse
import urllib.request


def query(api, params):
    """Yields every page of a query, following continuation."""
    params = dict(params, action="query", format="json", formatversion="2")
    cont = {}
    while True:
        data = urllib.parse.urlencode(dict(params, **cont)).encode()
        req = urllib.request.Request(api, data=data, headers={"User-Agent": "letsconnect-demo-snapshot/1 (tests)"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            body = json.load(resp)
        if "error" in body:
            sys.exit("demo-snapshot: %s: %s" % (api, body["error"]))
        yield from body.get("query", {}).get("pages", [])
        if "continue" not in body:
            return
        cont = body["continue"]


def main(argv):
    text = len(argv) > 1 and argv[1] == "--text"
    if text:
        argv = argv[1:]
    if len(argv) < 3:
        sys.exit(__doc__)
    api, root, files = argv[1], argv[2], argv[3:]
    revs = {}
    for ns, prefix in ((0, root), (10, "Let's Connect")):
        for p in query(api, {"generator": "allpages", "gapnamespace": ns, "gapprefix": prefix, "gaplimit": "max", "prop": "info"}):
            revs[p["title"]] = p.get("lastrevid", 0)
    titles = []
    for name in files:
        with open(name, encoding="utf-8") as f:
            for account in f.read().split("\n"):
                if account.strip():
                    titles += ["User:" + account.strip(), "User talk:" + account.strip()]
    for i in range(0, len(titles), 50):
        for p in query(api, {"titles": "|".join(titles[i:i + 50]), "prop": "info"}):
            revs[p["title"]] = p.get("lastrevid", 0)
    if not text:
        for title in sorted(revs):
            print("%s\t%d" % (title, revs[title]))
        return
    texts = {}
    titles = sorted(t for t in revs if revs[t])
    for i in range(0, len(titles), 50):
        for p in query(api, {"titles": "|".join(titles[i:i + 50]), "prop": "revisions", "rvprop": "content", "rvslots": "main"}):
            if p.get("revisions"):  # else it comes again, continued
                texts[p["title"]] = p["revisions"][0]["slots"]["main"]["content"]
    for title in sorted(texts):
        print("=== %s ===" % title)
        print(texts[title])


if __name__ == "__main__":
    main(sys.argv)
