"""Without Redis, rate limits count in one file that every worker process shares."""

import subprocess
import sys
import time

from masthead.core import ratelimit, ratelimit_file

COUNT_IN_A_CHILD = """
import sys
from masthead.core import ratelimit_file
for _ in range(int(sys.argv[2])):
    ratelimit_file.count(sys.argv[1], "rl:comment:user:1:0", 61)
"""


def test_processes_count_together(tmp_path):
    path = str(tmp_path / "ratelimits.sqlite3")
    children = [
        subprocess.Popen([sys.executable, "-c", COUNT_IN_A_CHILD, path, "40"]) for _ in range(3)
    ]
    for child in children:
        assert child.wait(timeout=60) == 0
    # 3 x 40 hits from other processes, then this one: no count was lost or kept apart.
    assert ratelimit_file.count(path, "rl:comment:user:1:0", 61) == 121


def test_a_counter_starts_again_once_its_time_is_up(tmp_path):
    path = str(tmp_path / "ratelimits.sqlite3")
    assert [ratelimit_file.count(path, "k", 1) for _ in range(3)] == [1, 2, 3]
    assert ratelimit_file.count(path, "other", 1) == 1
    time.sleep(1.1)
    assert ratelimit_file.count(path, "k", 1) == 1


def test_limits_use_the_file_when_configured(settings, tmp_path):
    # Without Redis (with Redis, the file is only where counts go while it is unreachable).
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    path = tmp_path / "ratelimits.sqlite3"
    settings.MASTHEAD = {**settings.MASTHEAD, "RATE_LIMIT_FILE": str(path)}
    verdicts = [ratelimit.hit("comment", "user:7", "2/m").allowed for _ in range(3)]
    assert verdicts == [True, True, False]
    assert path.exists()


def test_an_unusable_file_falls_back_to_counting_in_the_process(settings, tmp_path):
    # A directory where the file should be: SQLite cannot open it.
    settings.MASTHEAD = {**settings.MASTHEAD, "RATE_LIMIT_FILE": str(tmp_path)}
    assert ratelimit_file.count(str(tmp_path), "k", 60) is None
    verdicts = [ratelimit.hit("comment", "user:8", "1/m").allowed for _ in range(2)]
    assert verdicts == [True, False]
