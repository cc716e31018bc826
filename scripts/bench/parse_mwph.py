"""parse_mwph.py: template-parsing throughput of mwparserfromhell.

    /usr/bin/python3 scripts/bench/parse_mwph.py CORPUS

CORPUS is JSON lines, one {"title": ..., "text": ...} a line. The corpus is
loaded first (not timed); then every text is parsed and every template
(nested ones included) walked, its name and each parameter's name and value
read as strings, pass after pass until at least 2 s have gone by. Prints one
JSON line.
"""
import json
import sys
import time


def fail(msg):
    print(f"parse_mwph: error: {msg}", file=sys.stderr)
    sys.exit(1)


try:
    import mwparserfromhell
except ImportError as e:
    fail(f"{e} (run with /usr/bin/python3 after scripts/bench/peers.sh)")


def one_pass(texts):
    n = 0
    for text in texts:
        for t in mwparserfromhell.parse(text).filter_templates(recursive=True):
            str(t.name)
            for p in t.params:
                str(p.name), str(p.value)
            n += 1
    return n


def main():
    if len(sys.argv) != 2:
        fail("usage: parse_mwph.py CORPUS.jsonl")
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for line in f if line.strip()]
    except (OSError, ValueError, KeyError, TypeError) as e:
        fail(f"cannot read {sys.argv[1]}: {e}")
    size = sum(len(t.encode("utf-8", "surrogatepass")) for t in texts)

    passes, templates = 0, 0
    t0 = time.perf_counter()
    while True:
        templates = one_pass(texts)
        passes += 1
        seconds = time.perf_counter() - t0
        if seconds >= 2:
            break
    print(json.dumps({
        "peer": "mwparserfromhell", "version": mwparserfromhell.__version__,
        "c_tokenizer": bool(mwparserfromhell.parser.use_c),
        "bytes": size, "passes": passes, "seconds": round(seconds, 4),
        "mb_per_s": round(size * passes / seconds / 1e6, 3), "templates": templates,
        "texts": len(texts),
    }, separators=(",", ":")))


if __name__ == "__main__":
    main()
