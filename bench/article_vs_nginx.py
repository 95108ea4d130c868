"""The article page from `masthead serve` against nginx: now part of bench/throughput.py.

`.venv/bin/python bench/article_vs_nginx.py [--quick]` runs `bench/throughput.py --only article`:
the app answering from its page cache, nginx with the shipped caching rules in front of it, and
nginx serving the same bytes as a static file. The helpers this file used to hold are in
bench/common.py. See bench/README.md.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import throughput
from common import BenchError

if __name__ == "__main__":
    try:
        throughput.main(["--only", "article", *sys.argv[1:]])
    except BenchError as error:
        print(f"bench: error: {error}", file=sys.stderr, flush=True)
        sys.exit(1)
