#!/usr/bin/env python3
"""dump_pages.py API OUTDIR: every page of the main namespace and every user
talk page of a wiki, latest text, one file each (for comparing two demos)."""
import json, os, sys, urllib.parse, urllib.request

api, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)

def get(params):
    params = dict(params, format="json", formatversion="2")
    with urllib.request.urlopen(api + "?" + urllib.parse.urlencode(params)) as r:
        return json.load(r)

for ns in (0, 3, 10):
    cont = {}
    while True:
        d = get(dict(action="query", generator="allpages", gapnamespace=ns, gaplimit="50",
                     prop="revisions", rvprop="content", rvslots="main", **cont))
        for p in d.get("query", {}).get("pages", []):
            text = p["revisions"][0]["slots"]["main"]["content"]
            name = p["title"].replace("/", "%2F")
            with open(os.path.join(out, name), "w") as f:
                f.write(text)
        if "continue" not in d:
            break
        cont = d["continue"]
